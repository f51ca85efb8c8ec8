package dev.lifeboat.mirror;

import dev.lifeboat.harness.S3Server;
import dev.lifeboat.store.S3Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A live object's ETag goes along as its copy's Content-MD5, so the store checks the bytes end to
 * end; a live bucket whose ETags are not MD5s of the content (as with encrypted objects) is found
 * out by the store's refusals (two, so that one damaged transfer does not count), and every copy
 * is still made, whole and checked.
 */
class CopierTest {
    private static S3Server server;
    private static MirrorFixture f;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
        f = new MirrorFixture(server, "etags");
        for (String k : List.of("a", "b", "c", "d")) f.put(k, MirrorFixture.bytes(k.hashCode(), 30_000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long puts(String key) {
        return server.proxy().count("PUT", "/" + f.backup + "/" + MirrorKeys.copyKey(f.live, key));
    }

    @Test
    void liveEtagsThatAreContentMd5sAreCheckedByTheStoreWithOnePut() throws Exception {
        try (LiveBucket live = f.liveBucket(); S3Store store = new S3Store(server.settings(f.backup))) {
            Copier copier = new Copier(store, live, MirrorIndex.empty(), Clock.systemUTC());
            copier.copyIn(new LiveObject("c", 30_000, "", Instant.now())); // proves conditional writes
            server.proxy().clearRequests();
            copier.copyIn(new LiveObject("d", 30_000, "", Instant.now()));
            assertEquals(1, puts("d"));
            assertEquals(1, server.proxy().requests().stream().filter(r -> r.method().equals("GET")).count());
            assertEquals(2, server.proxy().requests().size(), "a GET and a PUT: " + server.proxy().requests());
            assertArrayEquals(f.liveBytes("d"), f.copyBytes("d"));
        }
    }

    @Test
    void etagsThatAreNotMd5sAreFoundOutOnceAndEveryCopyIsStillMade() throws Exception {
        String notMd5 = "0123456789abcdef0123456789abcdef";
        try (LiveBucket real = f.liveBucket(); S3Store store = new S3Store(server.settings(f.backup))) {
            LiveBucket encrypted = new Encrypted(real, notMd5);
            Copier copier = new Copier(store, encrypted, MirrorIndex.empty(), Clock.systemUTC());
            server.proxy().clearRequests();
            copier.copyIn(new LiveObject("a", 30_000, notMd5, Instant.now()));
            long first = puts("a");
            copier.copyIn(new LiveObject("b", 30_000, notMd5, Instant.now()));
            assertEquals(3, first, "refused twice with the ETag as its MD5, then written with the MD5 of the bytes read");
            assertEquals(1, puts("b"), "after the first refusal the ETags are no longer sent as MD5s");
            for (String k : List.of("a", "b")) {
                assertArrayEquals(f.liveBytes(k), f.copyBytes(k), k);
                assertEquals(notMd5, f.backupHead(MirrorKeys.copyKey(f.live, k)).metadata().get(Copier.SOURCE_ETAG),
                        "the copy records the live ETag it was made from");
            }
        }
    }

    /** The live bucket as an encrypted one answers: its ETags are not the MD5s of the content. */
    private record Encrypted(LiveBucket real, String etag) implements LiveBucket {
        @Override
        public String name() {
            return real.name();
        }

        @Override
        public List<LiveObject> list(String prefix) throws IOException {
            return real.list(prefix);
        }

        @Override
        public LiveDownload open(String key) throws IOException {
            LiveDownload d = real.open(key);
            return new LiveDownload(etag, d.size(), d.stream());
        }

        @Override
        public Optional<LiveObject> stat(String key) throws IOException {
            return real.stat(key);
        }

        @Override
        public String put(String key, InputStream in, long size) throws IOException {
            return real.put(key, in, size);
        }

        @Override
        public String describe() {
            return "encrypted " + real.describe();
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
