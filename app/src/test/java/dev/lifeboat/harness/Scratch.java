package dev.lifeboat.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Scratch space for tests: every temporary file and directory a test makes goes under one directory
 * per test JVM ({@code lifeboat-test-<pid>-…} in the system's temporary directory), removed when
 * the JVM exits; the directories of test JVMs that are gone (killed, or halted before their
 * clean-up ran) are removed by the next one. So test runs leave nothing in {@code /tmp}. The root
 * is readable by other users (the {@code postgres} user walks through it); what is made inside
 * keeps the JDK's owner-only permissions.
 */
public final class Scratch {
    private static final String PREFIX = "lifeboat-test-";
    private static final Path ROOT = createRoot();

    private Scratch() {}

    public static Path dir(String prefix) throws IOException {
        return Files.createTempDirectory(ROOT, prefix);
    }

    public static Path file(String prefix, String suffix) throws IOException {
        return Files.createTempFile(ROOT, prefix, suffix);
    }

    private static Path createRoot() {
        try {
            removeOrphans(Path.of(System.getProperty("java.io.tmpdir")));
            Path root = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "scratch-cleanup"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tests' scratch directory", e);
        }
    }

    /** The scratch directories of test JVMs that no longer run. */
    private static void removeOrphans(Path tmp) {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : all) {
                String[] parts = d.getFileName().toString().substring(PREFIX.length()).split("-", 2);
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (parts.length == 2 && ProcessHandle.of(pid).isEmpty()) delete(d);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover is only untidy
        }
    }

    /** Deletes a tree, going on past whatever cannot be deleted (a second pass takes what a first missed). */
    static void delete(Path root) {
        for (int pass = 0; pass < 2 && Files.exists(root); pass++) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        quietly(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) {
                        quietly(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException | RuntimeException ignored) {
                // the next pass, or the next test JVM, tries again
            }
        }
    }

    private static void quietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a directory not yet empty, or a file owned elsewhere: see the next pass
        }
    }
}
