package dev.lifeboat.files;

import dev.lifeboat.harness.Lifeboat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files that change while they are read: reported, never silently half-copied; the tar stays well-formed. */
class TarWriterTest {
    @TempDir
    Path tmp;

    static Map<String, Object> lstat(Path p) throws Exception {
        return new HashMap<>(Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFileThatShrankIsPaddedToItsAnnouncedSizeAndReported() throws Exception {
        Path f = tmp.resolve("log");
        Files.writeString(f, "0123456789");
        Map<String, Object> before = lstat(f);
        before.put("size", 25L); // what lstat said before the file was truncated
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        w.entry(f, "log", before);
        Path g = tmp.resolve("gone");
        Files.writeString(g, "x");
        Map<String, Object> gone = lstat(g);
        Files.delete(g);
        w.entry(g, "gone", gone);
        w.finish();
        assertEquals(List.of("log", "gone"), w.changed().stream().map(FilesManifest.Changed::path).toList());
        assertTrue(w.changed().get(0).what().contains("shrank from 25 to 10"), w.changed().get(0).what());
        assertTrue(w.changed().get(1).what().contains("vanished"), w.changed().get(1).what());
        assertEquals(1, w.entries().size(), "a vanished file has no entry");
        assertEquals(25, w.entries().get(0).size());
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e = in.getNextEntry();
            assertEquals(25, e.getSize());
            byte[] expected = new byte[25];
            System.arraycopy("0123456789".getBytes(), 0, expected, 0, 10);
            assertArrayEquals(expected, in.readAllBytes());
            assertEquals(null, in.getNextEntry());
        }
    }

    /** /proc files announce size 0 and then have content: the real "grew while read" case. */
    @Test
    void aFileThatGrowsIsReportedAndStrictFailsTheRunStoringNothing() throws Exception {
        Path store = tmp.resolve("store");
        Map<String, String> env = new HashMap<>();
        env.put("BACKUP_SOURCE_NAME", "app");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_ENCRYPTION", "off");
        env.put("BACKUP_DIR", store.toString());
        Path plain = tmp.resolve("plain.txt");
        Files.writeString(plain, "steady");

        Lifeboat.Result strict = Lifeboat.run(env, "backup", "--files", plain.toString(), "/proc/version", "--strict");
        assertEquals(3, strict.exit(), strict.toString());
        assertTrue(strict.err().contains("proc/version") && strict.err().contains("grew"), strict.err());
        try (Stream<Path> all = Files.walk(store)) {
            assertEquals(List.of(), all.filter(Files::isRegularFile).toList(), "nothing stored, not even a temporary file");
        }

        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", plain.toString(), "/proc/version", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("\"changed_while_read\"") && r.out().contains("proc/version"), r.out());
        Path manifest;
        try (Stream<Path> all = Files.walk(store)) {
            manifest = all.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow();
        }
        FilesManifest m = FilesManifest.parse("m", Files.readAllBytes(manifest));
        assertEquals(List.of("proc/version"), m.changedWhileRead().stream().map(FilesManifest.Changed::path).toList());
    }
}
