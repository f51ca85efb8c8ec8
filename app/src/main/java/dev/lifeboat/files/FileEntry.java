package dev.lifeboat.files;

/**
 * One entry of a files backup, as the manifest (or its encrypted entry list) records it:
 * the path inside the archive, {@code type} ({@code file}, {@code dir} or {@code symlink}),
 * the size stored, the mode as four octal digits ({@code 0644}), the modification time
 * (ISO 8601, UTC, with the file system's precision), a symlink's target, and a regular file's
 * SHA-256 (of exactly the bytes stored in the archive).
 */
public record FileEntry(String path, String type, long size, String mode, String mtime, String linkTarget, String sha256) {
    public static final String FILE = "file";
    public static final String DIR = "dir";
    public static final String SYMLINK = "symlink";

    public boolean isFile() {
        return FILE.equals(type);
    }

    public boolean isDir() {
        return DIR.equals(type);
    }

    public boolean isSymlink() {
        return SYMLINK.equals(type);
    }

    /** The mode bits (permissions plus setuid, setgid, sticky). */
    public int modeBits() {
        return Integer.parseInt(mode, 8);
    }

    public static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}
