package dev.lifeboat.files;

import dev.lifeboat.stage.Sha256Probe;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes what {@link TreeWalk} finds as a POSIX (pax) tar: long and non-ASCII names, big
 * sizes and ids in pax headers; mode, uid/gid and owner names, mtime (to the microsecond);
 * symlinks as symlinks. Sockets, FIFOs and devices are skipped with a log note.
 *
 * <p>A tar header announces the size before the content, so a file is read in exactly the
 * size its {@code lstat} gave: if it shrank, the rest is padded with zeros; if it grew, only
 * the announced bytes are stored; if its size or mtime differ afterwards, or it vanished, it
 * is recorded in {@link #changed()}. The SHA-256 in the entry list is of the bytes stored, so
 * restore checks the archive exactly; the changed list says which files not to trust.
 */
final class TarWriter implements TreeWalk.Visitor {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private static final int S_IFMT = 0170000;

    private final TarArchiveOutputStream tar;
    private final List<FileEntry> entries = new ArrayList<>();
    private final List<FilesManifest.Changed> changed = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private final byte[] buf = new byte[1 << 16];

    TarWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    List<FileEntry> entries() { return entries; }
    List<FilesManifest.Changed> changed() { return changed; }
    List<String> skipped() { return skipped; }
    List<String> unreadable() { return unreadable; }

    /** Writes the end-of-archive records; the stream below stays open. */
    void finish() throws IOException {
        tar.finish();
    }

    @Override
    public void entry(Path file, String name, Map<String, Object> a) throws IOException, InterruptedException {
        int mode = (Integer) a.get("mode");
        FileTime mtime = FileTime.from(((FileTime) a.get("lastModifiedTime")).toInstant().truncatedTo(ChronoUnit.MICROS));
        if (Boolean.TRUE.equals(a.get("isDirectory"))) {
            TarArchiveEntry e = header(name + "/", TarConstants.LF_DIR, mode, mtime, a);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            entries.add(new FileEntry(name, FileEntry.DIR, 0, FileEntry.octal(mode), mtime.toInstant().toString(), null, null));
        } else if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) {
            String target;
            try {
                target = Files.readSymbolicLink(file).toString();
            } catch (NoSuchFileException e) {
                vanished(file, name);
                return;
            }
            TarArchiveEntry e = header(name, TarConstants.LF_SYMLINK, 0777, mtime, a);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            entries.add(new FileEntry(name, FileEntry.SYMLINK, 0, "0777", mtime.toInstant().toString(), target, null));
        } else if (Boolean.TRUE.equals(a.get("isRegularFile"))) {
            file(file, name, mode, mtime, a);
        } else {
            String kind = switch (mode & S_IFMT) {
                case 0140000 -> "socket";
                case 0010000 -> "FIFO";
                case 0020000, 0060000 -> "device";
                default -> "special file";
            };
            LOG.info("skipped {} ({}): only files, directories and symlinks are archived", file, kind);
            skipped.add(name + " (" + kind + ")");
        }
    }

    private void file(Path file, String name, int mode, FileTime mtime, Map<String, Object> a)
            throws IOException, InterruptedException {
        long size = (Long) a.get("size");
        InputStream in;
        try {
            in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            vanished(file, name);
            return;
        } catch (AccessDeniedException e) {
            unreadable(file, name, "permission denied");
            return;
        } catch (FileSystemException e) {
            changed(file, name, "replaced while read (" + e.getReason() + "); not stored");
            return;
        }
        TarArchiveEntry e = header(name, TarConstants.LF_NORMAL, mode, mtime, a);
        e.setSize(size);
        tar.putArchiveEntry(e);
        MessageDigest digest = Sha256Probe.newDigest();
        long read = 0;
        boolean grew;
        try (in) {
            while (read < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - read));
                if (n < 0) break;
                tar.write(buf, 0, n);
                digest.update(buf, 0, n);
                read += n;
                if (Thread.interrupted()) throw new InterruptedIOException("interrupted while reading " + file);
            }
            grew = read == size && in.read() >= 0;
        }
        if (read < size) {
            changed(file, name, "shrank from " + size + " to " + read + " bytes while read; stored padded with zeros");
            java.util.Arrays.fill(buf, (byte) 0);
            for (long left = size - read; left > 0; ) {
                int n = (int) Math.min(buf.length, left);
                tar.write(buf, 0, n);
                digest.update(buf, 0, n);
                left -= n;
            }
        } else if (grew) {
            changed(file, name, "grew while read; only the first " + size + " bytes are stored");
        } else if (modified(file, size, (FileTime) a.get("lastModifiedTime"))) {
            changed(file, name, "modified while read (size or mtime differ afterwards)");
        }
        tar.closeArchiveEntry();
        entries.add(new FileEntry(name, FileEntry.FILE, size, FileEntry.octal(mode), mtime.toInstant().toString(), null,
                HexFormat.of().formatHex(digest.digest())));
    }

    private static boolean modified(Path file, long size, FileTime mtime) {
        try {
            Map<String, Object> after = Files.readAttributes(file, "size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            return (Long) after.get("size") != size || !mtime.equals(after.get("lastModifiedTime"));
        } catch (IOException e) {
            return true;
        }
    }

    private static TarArchiveEntry header(String name, byte flag, int mode, FileTime mtime, Map<String, Object> a) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
        e.setMode((mode & 07777) | switch (flag) {
            case TarConstants.LF_DIR -> TarArchiveEntry.DEFAULT_DIR_MODE & S_IFMT;
            case TarConstants.LF_SYMLINK -> 0120000;
            default -> TarArchiveEntry.DEFAULT_FILE_MODE & S_IFMT;
        });
        e.setLastModifiedTime(mtime);
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setUserName(principal(a.get("owner"), uid));
        e.setGroupName(principal(a.get("group"), gid));
        return e;
    }

    /** The owner's name, or "" when the system knows only the number. */
    private static String principal(Object p, int id) {
        if (!(p instanceof UserPrincipal u)) return "";
        String n = u.getName();
        return n == null || n.equals(Integer.toString(id)) ? "" : n;
    }

    @Override
    public void vanished(Path file, String name) {
        changed(file, name, "vanished while the backup ran; not stored");
    }

    @Override
    public void unreadable(Path file, String name, String why) {
        LOG.error("cannot read {}: {}", file, why);
        unreadable.add(name + " (" + why + ")");
    }

    private void changed(Path file, String name, String what) {
        LOG.warn("{} {}", file, what);
        changed.add(new FilesManifest.Changed(name, what));
    }
}
