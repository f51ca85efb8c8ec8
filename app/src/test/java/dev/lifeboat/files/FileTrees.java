package dev.lifeboat.files;

import dev.lifeboat.stage.Sha256Probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds the test trees of files backups and describes trees for comparison. */
final class FileTrees {
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private FileTrees() {}

    /** What a tree holds, per relative path: type, mode, mtime (to the microsecond), SHA-256 or link target. */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String rel = root.relativize(p).toString();
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,lastModifiedTime,isDirectory,isSymbolicLink", NOFOLLOW);
                Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().truncatedTo(ChronoUnit.MICROS);
                String what;
                if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) what = "symlink -> " + Files.readSymbolicLink(p);
                else if (Boolean.TRUE.equals(a.get("isDirectory"))) what = "dir " + mode(a) + " " + mtime;
                else what = "file " + mode(a) + " " + mtime + " " + Files.size(p) + " " + sha256(p);
                out.put(rel.isEmpty() ? "." : rel, what);
            }
        }
        return out;
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        Map<String, String> a = describe(expected);
        Map<String, String> b = describe(actual);
        assertEquals(a.keySet(), b.keySet(), "the same paths");
        for (String k : a.keySet()) assertEquals(a.get(k), b.get(k), k);
    }

    private static String mode(Map<String, Object> a) {
        return String.format("%04o", (Integer) a.get("mode") & 07777);
    }

    static String sha256(Path p) throws IOException {
        var d = Sha256Probe.newDigest();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** {@code bytes} of seeded random data (never committed: made by the test). */
    static void random(Path p, long bytes, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    static void file(Path p, String content, int mode, String mtime) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        Files.setAttribute(p, "unix:mode", mode);
        touch(p, mtime);
    }

    static void touch(Path p, String mtime) throws IOException {
        Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.from(Instant.parse(mtime)), null, null);
    }

    /**
     * The tree of the issue: nested folders, a relative and a dangling symlink, a 0-byte file,
     * non-ASCII names, modes 0600/0755/0750/0555, chosen mtimes, and (with {@code bigBytes} > 0)
     * a large seeded random file.
     */
    static Path standard(Path parent, long bigBytes) throws IOException {
        Path t = parent.resolve("app");
        file(t.resolve("a/b/c/deep.txt"), "deep inside\n", 0644, "2020-02-03T04:05:06Z");
        file(t.resolve("Zürich/überweisung €.pdf"), "%PDF-1.4 not really\n".repeat(500), 0640, "2021-06-07T08:09:10.123456Z");
        file(t.resolve("empty"), "", 0644, "2019-01-01T00:00:00Z");
        file(t.resolve(".env"), "ENCRYPTION_KEY=base64:c2VjcmV0\n", 0600, "2022-12-31T23:59:59Z");
        file(t.resolve("bin/run.sh"), "#!/bin/sh\necho run\n", 0755, "2023-03-03T03:03:03Z");
        file(t.resolve("ro/frozen.txt"), "read only dir\n", 0444, "2018-08-08T08:08:08Z");
        if (bigBytes > 0) {
            random(t.resolve("big.bin"), bigBytes, 42);
            touch(t.resolve("big.bin"), "2024-04-04T04:04:04Z");
        }
        Files.createSymbolicLink(t.resolve("link-to-deep"), Path.of("a/b/c/deep.txt"));
        Files.createSymbolicLink(t.resolve("dangling"), Path.of("/nonexistent/target"));
        Files.setAttribute(t.resolve("bin"), "unix:mode", 0750);
        Files.setAttribute(t.resolve("ro"), "unix:mode", 0555);
        for (String d : new String[] {"a/b/c", "a/b", "a", "Zürich", "bin", "ro", ""}) {
            touch(t.resolve(d), "2017-07-07T07:07:0" + d.length() % 10 + "Z");
        }
        return t;
    }
}
