package dev.lifeboat.mirror;

import dev.lifeboat.harness.S3Server;
import dev.lifeboat.store.LocalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mirror into BACKUP_DIR (LocalStore). */
class MirrorLocalStoreTest {
    @Test
    void copiesUnicodeAndSpaceKeysIntoADirectory(@TempDir Path dir) throws Exception {
        MirrorFixture f = new MirrorFixture(S3Server.shared(), "local");
        f.put("Ünïcödé/日本語 file.txt", "eins".getBytes(StandardCharsets.UTF_8));
        f.put("a b/c d.txt", "zwei".getBytes(StandardCharsets.UTF_8));
        f.put("empty", new byte[0]);
        Map<String, String> env = new TreeMap<>(f.env);
        env.keySet().removeIf(k -> k.startsWith("BACKUP_S3_"));
        env.put("BACKUP_DIR", dir.toString());
        MirrorFixture.Run run = MirrorFixture.run(env, "--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(3, run.count("copied"));
        assertEquals("eins", Files.readString(dir.resolve("minio/" + f.live + "/Ünïcödé/日本語 file.txt")));
        assertEquals("zwei", Files.readString(dir.resolve("minio/" + f.live + "/a b/c d.txt")));
        assertEquals(0, Files.size(dir.resolve("minio/" + f.live + "/empty")));
        assertTrue(Files.exists(dir.resolve("minio-index/" + f.live + ".json.gz")));
        assertEquals(0, MirrorFixture.run(env, "--json").count("copied"));
    }

    /**
     * A live key with '..' segments must not leave BACKUP_DIR. Such keys exist on real S3 and
     * MinIO, but neither the MinIO client (it refuses them, and okhttp normalises URL paths) nor
     * S3Proxy's filesystem store can hold one, so the live side here is an in-memory bucket.
     */
    @Test
    void aLiveKeyWithDotDotDoesNotEscapeTheBackupDirectory(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("backup"));
        MemoryBucket live = new MemoryBucket("files");
        for (String key : List.of("../escaped.txt", "a/../../escaped2.txt", "a/../b.txt", "/etc/abs.txt", "back\\slash.txt", "nul\0.txt", "ok/fine.txt")) {
            live.objects.put(key, key.getBytes(StandardCharsets.UTF_8));
        }
        MirrorReport r;
        try (LocalStore store = new LocalStore(root)) {
            r = new MirrorJob(store, live, Clock.systemUTC()).run(new MirrorRequest("", KeyGlob.none(), true, 1000, false, 4, false, false));
        }
        assertEquals(1, r.copied());
        assertEquals(6, r.failed().size(), r.failed().toString());
        for (MirrorReport.Failed failed : r.failed()) assertTrue(failed.reason().startsWith("refused"), failed.toString());
        assertTrue(r.failed().stream().anyMatch(x -> x.key().equals("../escaped.txt")));
        assertArrayEquals("ok/fine.txt".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(root.resolve("minio/files/ok/fine.txt")));
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> outside = all.filter(Files::isRegularFile).filter(p -> !p.startsWith(root)).toList();
            assertEquals(List.of(), outside, "nothing written outside BACKUP_DIR");
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith("escaped")), "no escaped file anywhere");
        }
    }

    /** An in-memory live bucket, for keys no test S3 server can hold. */
    static final class MemoryBucket implements LiveBucket {
        final Map<String, byte[]> objects = new TreeMap<>();
        private final String name;

        MemoryBucket(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized List<LiveObject> list(String prefix) {
            List<LiveObject> out = new ArrayList<>();
            objects.forEach((k, v) -> {
                if (k.startsWith(prefix)) out.add(info(k, v));
            });
            return out;
        }

        @Override
        public synchronized LiveDownload open(String key) throws IOException {
            byte[] data = objects.get(key);
            if (data == null) throw new NoSuchFileException(key);
            return new LiveDownload(etag(data), data.length, new ByteArrayInputStream(data));
        }

        @Override
        public synchronized Optional<LiveObject> stat(String key) {
            return Optional.ofNullable(objects.get(key)).map(v -> info(key, v));
        }

        @Override
        public synchronized String put(String key, InputStream in, long size) throws IOException {
            byte[] data = in.readAllBytes();
            objects.put(key, data);
            return etag(data);
        }

        @Override
        public String describe() {
            return "memory:" + name;
        }

        @Override
        public void close() {
        }

        private static LiveObject info(String key, byte[] data) {
            return new LiveObject(key, data.length, etag(data), Instant.EPOCH);
        }

        private static String etag(byte[] data) {
            try {
                return MirrorFixture.sha256(data).substring(0, 32);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
