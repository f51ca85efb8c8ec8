package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.stage.Sha256Probe;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Writes archive entries under one directory and nowhere else. Before an entry is written its
 * name has passed {@link EntryNames#check}, and every directory on its way is looked at with
 * {@code lstat}: a symlink there (extracted earlier, or already in the directory) or a
 * non-directory is refused. Files are written to a new temporary name ({@code CREATE_NEW},
 * {@code NOFOLLOW_LINKS}, mode 0600), checked against the entry list's size and SHA-256, and
 * only then renamed into place; an existing file or symlink is replaced only with
 * {@code --overwrite}, an existing directory is never replaced by a file. Modes and mtimes of
 * directories are set at the end (writing into them changes their mtime; a read-only one
 * could not be filled); owners only when running as root ({@link Owners}).
 */
final class SafeExtractor {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final Path root;
    private final boolean overwrite;
    private final Owners owners;
    private final List<Runnable> directoryFixes = new ArrayList<>();
    private final byte[] buf = new byte[1 << 16];
    private long written;

    SafeExtractor(Path root, boolean overwrite, Owners owners) throws IOException {
        this.root = root.toRealPath();
        this.overwrite = overwrite;
        this.owners = owners;
    }

    /** Extracts one entry whose name and type were matched with {@code expected}; returns bytes written. */
    long extract(String name, TarArchiveEntry e, InputStream content, FileEntry expected) throws IOException {
        written++;
        Path target = prepareParents(name);
        BasicFileAttributes existing = lstat(target);
        if (expected.isDir()) {
            if (existing != null && !existing.isDirectory()) {
                requireOverwrite(name, existing);
                Files.delete(target);
                existing = null;
            }
            if (existing == null) Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            directoryFixes.add(0, () -> finishDirectory(target, e, expected));
            return 0;
        }
        if (existing != null) {
            if (existing.isDirectory()) throw LifeboatException.failed("refusing to replace directory " + name + " with a " + expected.type());
            requireOverwrite(name, existing);
        }
        if (expected.isSymlink()) {
            if (existing != null) Files.delete(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            owners.apply(target, e);
            setTimes(target, expected);
            return 0;
        }
        Path temp = target.resolveSibling(".lifeboat-" + UUID.randomUUID() + ".part");
        try {
            long n = writeChecked(temp, name, content, expected);
            owners.apply(temp, e);
            Files.setAttribute(temp, "unix:mode", expected.modeBits(), NOFOLLOW);
            setTimes(temp, expected);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return n;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** How many entries were (or began to be) written. */
    long written() {
        return written;
    }

    /** Sets the directories' modes and mtimes, innermost first. */
    void finish() {
        directoryFixes.forEach(Runnable::run);
    }

    private long writeChecked(Path temp, String name, InputStream content, FileEntry expected) throws IOException {
        MessageDigest digest = Sha256Probe.newDigest();
        long n = 0;
        try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
            int r;
            while ((r = content.read(buf)) > 0) {
                out.write(buf, 0, r);
                digest.update(buf, 0, r);
                n += r;
            }
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (n != expected.size()) {
            throw LifeboatException.failed(name + ": the archive holds " + n + " bytes, the manifest says " + expected.size());
        }
        if (!sha.equals(expected.sha256())) {
            throw LifeboatException.failed(name + ": SHA-256 " + sha + " does not match the manifest's " + expected.sha256());
        }
        return n;
    }

    /** Creates missing parents; refuses a symlink or non-directory on the way. Returns the entry's path. */
    private Path prepareParents(String name) throws IOException {
        Path dir = root;
        for (String parent : EntryNames.parents(name)) {
            dir = root.resolve(parent);
            BasicFileAttributes a = lstat(dir);
            if (a == null) {
                Files.createDirectory(dir);
            } else if (a.isSymbolicLink()) {
                throw EntryNames.refused(name, "its path goes through the symlink " + parent);
            } else if (!a.isDirectory()) {
                throw EntryNames.refused(name, "its path goes through " + parent + ", which is not a directory");
            }
        }
        Path target = root.resolve(name);
        if (!target.normalize().startsWith(root)) throw EntryNames.refused(name, "it leads outside the target");
        return target;
    }

    private void requireOverwrite(String name, BasicFileAttributes existing) {
        if (!overwrite) {
            throw LifeboatException.failed(name + " exists already in the target (the archive names it twice, or the target"
                    + " changed during the restore); not replacing it");
        }
    }

    private void finishDirectory(Path dir, TarArchiveEntry e, FileEntry expected) {
        try {
            owners.apply(dir, e);
            Files.setAttribute(dir, "unix:mode", expected.modeBits(), NOFOLLOW);
            setTimes(dir, expected);
        } catch (IOException ex) {
            throw LifeboatException.failed("cannot set mode and mtime of " + root.relativize(dir) + ": " + ex.getMessage(), ex);
        }
    }

    private static void setTimes(Path p, FileEntry expected) throws IOException {
        FileTime t = FileTime.from(Instant.parse(expected.mtime()));
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, null, null);
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}
