package dev.lifeboat.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Scratch space for tests: every temporary file and directory a test makes goes under one directory
 * per test JVM, which is removed when the JVM exits, so a test run leaves nothing in {@code /tmp}.
 * The root is readable by other users (the {@code postgres} user walks through it); what is made
 * inside keeps the JDK's owner-only permissions.
 */
public final class Scratch {
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
            Path root = Files.createTempDirectory("lifeboat-test-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> PgCluster.deleteTree(root), "scratch-cleanup"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tests' scratch directory", e);
        }
    }
}
