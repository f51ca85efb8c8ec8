package dev.lifeboat.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ObjectStore} promises (its doc comments), run against each implementation
 * by a subclass that supplies a fresh, empty store per test.
 */
public abstract class ObjectStoreContract {
    protected static final Map<String, String> META = Map.of(ObjectStore.VERSION_METADATA, "test-1.0", "kind", "dump");
    protected ObjectStore store;

    /** A fresh, empty store. */
    protected abstract ObjectStore newStore() throws Exception;

    /** A size that needs more than one multipart part (for S3: more than 8 MiB). */
    protected long largerThanOnePart() {
        return 20L * 1024 * 1024 + 12345;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] random(long size, long seed) {
        byte[] b = new byte[(int) size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void objectIsVisibleOnlyAfterCommit() throws Exception {
        try (PendingObject p = store.create("pg/db/2024-01-01/000000.dump.gz", META, 5)) {
            p.stream().write(bytes("hello"));
            assertTrue(store.stat("pg/db/2024-01-01/000000.dump.gz").isEmpty());
            assertTrue(store.list("pg/").isEmpty());
            ObjectInfo info = p.commit();
            assertEquals(5, info.size());
            assertEquals("pg/db/2024-01-01/000000.dump.gz", info.key());
        }
        assertEquals("hello", new String(store.read("pg/db/2024-01-01/000000.dump.gz"), StandardCharsets.UTF_8));
        assertEquals(List.of("pg/db/2024-01-01/000000.dump.gz"), keys(store.list("pg/")));
    }

    @Test
    void abortLeavesNothingNotEvenAnUnfinishedUpload() throws Exception {
        byte[] data = random(largerThanOnePart(), 1);
        PendingObject p = store.create("a/big.bin", META, data.length);
        p.stream().write(data);
        p.abort();
        p.abort(); // idempotent
        assertTrue(store.stat("a/big.bin").isEmpty());
        assertTrue(store.list("").isEmpty());
        assertTrue(store.unfinished("").isEmpty());
        assertThrows(IOException.class, p::commit);
    }

    @Test
    void closeWithoutCommitAborts() throws Exception {
        try (PendingObject p = store.create("a/closed.bin", META, -1)) {
            p.stream().write(random(largerThanOnePart(), 2));
        }
        assertTrue(store.stat("a/closed.bin").isEmpty());
        assertTrue(store.unfinished("").isEmpty());
    }

    @Test
    void createRefusesAnExistingKey() throws Exception {
        store.put("k/one", bytes("first"), META);
        assertThrows(FileAlreadyExistsException.class, () -> store.create("k/one", META, 1));
        assertThrows(FileAlreadyExistsException.class, () -> store.put("k/one", bytes("second"), META));
        assertEquals("first", new String(store.read("k/one"), StandardCharsets.UTF_8));
    }

    @Test
    void commitRefusesAKeyWrittenMeanwhile() throws Exception {
        for (byte[] data : List.of(bytes("late"), random(largerThanOnePart(), 9))) {
            String key = "k/race-" + data.length;
            PendingObject late = store.create(key, META, data.length);
            late.stream().write(data);
            store.put(key, bytes("early"), META);
            assertThrows(FileAlreadyExistsException.class, late::commit);
            late.close();
            assertEquals("early", new String(store.read(key), StandardCharsets.UTF_8));
            assertTrue(store.unfinished("").isEmpty());
        }
    }

    @Test
    void replaceOverwrites() throws Exception {
        store.put("index.json", bytes("old"), META);
        store.replace("index.json", bytes("new!"), Map.of(ObjectStore.VERSION_METADATA, "2"));
        assertEquals("new!", new String(store.read("index.json"), StandardCharsets.UTF_8));
        assertEquals("2", store.stat("index.json").orElseThrow().metadata().get(ObjectStore.VERSION_METADATA));
        store.replace("fresh.json", bytes("x"), META);
        assertEquals("x", new String(store.read("fresh.json"), StandardCharsets.UTF_8));
    }

    @Test
    void openFromAnOffset() throws Exception {
        byte[] data = random(100_000, 3);
        store.put("o/data", data, META);
        try (InputStream in = store.open("o/data", 40_000)) {
            byte[] tail = in.readAllBytes();
            assertEquals(60_000, tail.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 40_000, 100_000), tail);
        }
        try (InputStream in = store.open("o/data", data.length)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void missingKeys() throws Exception {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.open("no/such/key", 0));
        assertTrue(e.getMessage().contains("no/such/key"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> store.copy("no/such/key", "x", META));
        assertTrue(store.stat("no/such/key").isEmpty());
        store.delete("no/such/key"); // not an error
        assertTrue(store.list("no/").isEmpty());
        assertTrue(store.list("").isEmpty());
        assertTrue(store.unfinished("no/").isEmpty());
    }

    @Test
    void listIsSortedAndFilteredByPrefix() throws Exception {
        for (String k : List.of("b/2", "a/3", "a/1", "a/sub/x", "ab", "a/2", "c")) store.put(k, bytes(k), META);
        assertEquals(List.of("a/1", "a/2", "a/3", "a/sub/x"), keys(store.list("a/")));
        assertEquals(List.of("a/1", "a/2", "a/3", "a/sub/x", "ab"), keys(store.list("a")));
        assertEquals(List.of("a/1", "a/2", "a/3", "a/sub/x", "ab", "b/2", "c"), keys(store.list("")));
        assertEquals(List.of("a/sub/x"), keys(store.list("a/s")));
        assertTrue(store.list("zzz/").isEmpty());
        ObjectInfo one = store.list("a/1").get(0);
        assertEquals(3, one.size());
        assertTrue(one.lastModified() != null);
    }

    @Test
    void deleteAllGoesOnPastMissingKeys() throws Exception {
        store.put("d/1", bytes("1"), META);
        store.put("d/2", bytes("2"), META);
        store.put("keep", bytes("k"), META);
        Map<String, String> failed = store.deleteAll(List.of("d/1", "d/missing", "d/2"));
        assertEquals(Map.of(), failed);
        assertEquals(List.of("keep"), keys(store.list("")));
        store.delete("keep");
        assertTrue(store.list("").isEmpty());
    }

    @Test
    void copyCarriesNewMetadata() throws Exception {
        store.put("src/obj", bytes("payload"), META);
        store.copy("src/obj", "dst/obj", Map.of(ObjectStore.VERSION_METADATA, "test-2", "replaced", "2024-01-01"));
        ObjectInfo copied = store.stat("dst/obj").orElseThrow();
        assertEquals(Map.of(ObjectStore.VERSION_METADATA, "test-2", "replaced", "2024-01-01"), copied.metadata());
        assertEquals("payload", new String(store.read("dst/obj"), StandardCharsets.UTF_8));
        assertEquals(META, store.stat("src/obj").orElseThrow().metadata());
    }

    @Test
    void unfinishedUploadsCanBeListedAndAborted() throws Exception {
        PendingObject p = store.create("u/dump.gz", META, largerThanOnePart());
        p.stream().write(random(largerThanOnePart(), 4));
        List<Unfinished> found = store.unfinished("u/");
        assertEquals(1, found.size(), found.toString());
        assertEquals("u/dump.gz", found.get(0).key());
        assertTrue(found.get(0).started() != null);
        assertTrue(store.unfinished("other/").isEmpty());
        assertTrue(store.list("").isEmpty(), "an unfinished upload is not an object");
        store.abort(found.get(0));
        assertTrue(store.unfinished("").isEmpty());
        p.abort(); // the writer's own abort after someone else aborted must not throw
        assertTrue(store.stat("u/dump.gz").isEmpty());
    }

    @Test
    void metadataRoundTrips() throws Exception {
        Map<String, String> meta = Map.of(ObjectStore.VERSION_METADATA, "0.1.0", "sha256", "ab".repeat(32), "source", "shop");
        store.put("m/obj", bytes("x"), meta);
        ObjectInfo info = store.stat("m/obj").orElseThrow();
        assertEquals(meta, info.metadata());
        assertTrue(info.writtenByLifeboat());
        assertEquals(1, info.size());
        store.put("m/foreign", bytes("y"), Map.of());
        assertFalse(store.stat("m/foreign").orElseThrow().writtenByLifeboat());
    }

    @Test
    void emptyObject() throws Exception {
        try (PendingObject p = store.create("e/empty", META, 0)) {
            assertEquals(0, p.commit().size());
        }
        assertEquals(0, store.stat("e/empty").orElseThrow().size());
        assertEquals(0, store.read("e/empty").length);
        assertEquals(List.of("e/empty"), keys(store.list("e/")));
    }

    @Test
    void largeObjectIsByteIdentical() throws Exception {
        byte[] data = random(largerThanOnePart(), 5);
        try (PendingObject p = store.create("big/obj", META, data.length)) {
            OutputStream out = p.stream();
            Random sizes = new Random(6);
            int off = 0;
            while (off < data.length) {
                int n = Math.min(data.length - off, 1 + sizes.nextInt(3 * 1024 * 1024));
                if (n == 1) out.write(data[off]); else out.write(data, off, n);
                off += n;
            }
            assertEquals(data.length, p.commit().size());
        }
        assertEquals(data.length, store.stat("big/obj").orElseThrow().size());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = store.open("big/obj")) {
            in.transferTo(back);
        }
        assertEquals(sha256(data), sha256(back.toByteArray()));
    }

    @Test
    void describeNamesTheStore() {
        assertFalse(store.describe().isBlank());
    }

    protected static List<String> keys(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }
}
