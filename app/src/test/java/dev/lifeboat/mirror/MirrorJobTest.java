package dev.lifeboat.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lifeboat mirror} on 2,600 objects: nested prefixes, unicode and space-containing keys,
 * empty objects, and objects of several multipart parts. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorJobTest {
    private static final int MIB = 1024 * 1024;
    private static S3Server server;
    private static MirrorFixture f;
    private static final Map<String, byte[]> objects = new TreeMap<>();
    private static MirrorFixture.Run first;

    @BeforeAll
    static void populateAndMirrorOnce() throws Exception {
        server = S3Server.start();
        f = new MirrorFixture(server, "big");
        for (int i = 0; i < 2400; i++) {
            int size = i % 40 == 0 ? 0 : 1 + (i * 7919) % 3000;
            objects.put(String.format("receipts/%d/%02d/%s/r-%04d.pdf", 2020 + i % 5, 1 + i % 12, i % 3 == 0 ? "deep/er" : "x", i), MirrorFixture.bytes(i, size));
        }
        for (int i = 0; i < 100; i++) objects.put("verträge/Ünïcödé 日本語 " + i + ".txt", ("vertrag " + i).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) objects.put("exports/with space/file " + i + " (copy) +&=.csv", MirrorFixture.bytes(10_000 + i, i * 11));
        objects.put("empty", new byte[0]);
        objects.put("big/two-parts.bin", MirrorFixture.bytes(1, 9 * MIB + 123));
        objects.put("big/three-parts.bin", MirrorFixture.bytes(2, 17 * MIB + 5));
        f.putAll(objects);
        server.proxy().clearRequests();
        first = f.mirror("--json");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void firstRunCopiesEverythingByteIdentical() throws Exception {
        assertEquals(0, first.exit(), first.err());
        JsonNode r = first.json();
        assertEquals(objects.size(), r.get("listed").asInt());
        assertEquals(objects.size(), r.get("copied").asInt());
        assertEquals(0, r.get("failed").size());
        Map<String, Long> copies = f.copySizes();
        assertEquals(objects.keySet(), copies.keySet());
        for (Map.Entry<String, byte[]> e : objects.entrySet()) assertEquals(e.getValue().length, copies.get(e.getKey()), e.getKey());
        int i = 0;
        for (Map.Entry<String, byte[]> e : objects.entrySet()) {
            boolean sample = i++ % 97 == 0 || e.getKey().startsWith("big/") || e.getKey().startsWith("verträge/") && i % 10 == 0;
            if (sample) assertEquals(MirrorFixture.sha256(e.getValue()), MirrorFixture.sha256(f.copyBytes(e.getKey())), e.getKey());
        }
        var head = f.backupHead(MirrorKeys.copyKey(f.live, "big/three-parts.bin"));
        assertTrue(head.eTag().contains("-"), "a large object is copied multipart: " + head.eTag());
        assertEquals(f.liveEtag("big/three-parts.bin").replace("\"", ""), head.metadata().get("lifeboat-source-etag"));
        assertEquals(String.valueOf(17 * MIB + 5), head.metadata().get("lifeboat-source-size"));
        assertTrue(head.metadata().containsKey("lifeboat-version"));
        assertTrue(f.backupBytes(MirrorKeys.indexKey(f.live)).isPresent(), "the index is written");
        assertEquals(0, server.proxy().count("HEAD", "/" + f.backup + "/" + MirrorKeys.copyPrefix(f.live)),
                "the store refuses to overwrite (If-None-Match), so no copy is looked for first");
    }

    @Test
    @Order(2)
    void unchangedRunListsBothSidesAndMakesNoPerObjectRequest() throws Exception {
        FaultyProxy proxy = server.proxy();
        proxy.clearRequests();
        MirrorFixture.Run again = MirrorFixture.run(with(f.env, "MIRROR_LIST_THREADS", "1"), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(0, again.count("copied"));
        assertEquals(objects.size(), again.count("skipped"));
        List<FaultyProxy.Request> requests = proxy.requests();
        assertOnlyListingsAndIndex(proxy, requests);
        assertTrue(requests.size() <= 12, "two paginated listings and the index: " + requests.size() + " requests " + requests);
        assertTrue(proxy.count("GET", "/" + f.live) >= 3, "2,600 live objects take three pages at least");
    }

    @Test
    @Order(2)
    void byDefaultTheLevelsAreWalkedWithOneRequestPerDirectoryNotPerObject() throws Exception {
        FaultyProxy proxy = server.proxy();
        proxy.clearRequests();
        MirrorFixture.Run again = f.mirror("--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(0, again.count("copied"));
        assertEquals(objects.size(), again.count("skipped"));
        List<FaultyProxy.Request> requests = proxy.requests();
        assertOnlyListingsAndIndex(proxy, requests);
        Set<String> dirs = new java.util.TreeSet<>();
        for (String key : objects.keySet()) {
            for (int i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) dirs.add(key.substring(0, i + 1));
        }
        // each side: its root level and one listing per directory (the copies sit one level deeper)
        int bound = 2 * (dirs.size() + 2) + 1;
        assertTrue(requests.size() <= bound, requests.size() + " requests for " + dirs.size() + " directories: " + requests);
        assertTrue(requests.size() < objects.size() / 5, "far fewer requests than objects: " + requests.size());
    }

    private void assertOnlyListingsAndIndex(FaultyProxy proxy, List<FaultyProxy.Request> requests) {
        Set<String> allowed = Set.of("/" + f.live, "/" + f.live + "/", "/" + f.backup, "/" + f.backup + "/",
                "/" + f.backup + "/" + MirrorKeys.indexKey(f.live));
        for (FaultyProxy.Request q : requests) assertTrue(allowed.contains(q.path()), "per-object request: " + q);
        assertEquals(0, proxy.count("PUT", "/"), "nothing written, not even the unchanged index");
    }

    private static java.util.Map<String, String> with(java.util.Map<String, String> env, String key, String value) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>(env);
        out.put(key, value);
        return out;
    }

    @Test
    @Order(3)
    void anEditThatKeepsTheSizeIsCopiedAndTheOldCopyIsKept() throws Exception {
        String key = "receipts/2021/02/x/r-0001.pdf";
        byte[] old = objects.get(key);
        byte[] edited = old.clone();
        edited[0] ^= 0x55;
        f.put(key, edited);
        MirrorFixture.Run run = f.mirror("--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, run.count("copied"));
        assertEquals(1, run.count("replaced"));
        assertArrayEquals(edited, f.copyBytes(key));
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        byte[] kept = f.backupBytes("minio-replaced/" + f.live + "/" + day + "/" + key).orElseThrow();
        assertArrayEquals(old, kept, "the replaced copy is under minio-replaced/");
        objects.put(key, edited);
    }

    @Test
    @Order(4)
    void aMissingIndexIsRebuiltFromTheCopiesMetadata() throws Exception {
        f.deleteBackup(MirrorKeys.indexKey(f.live));
        server.proxy().clearRequests();
        MirrorFixture.Run run = f.mirror("--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(0, run.count("copied"), "every copy is recognised by its metadata");
        assertEquals(objects.size(), server.proxy().count("HEAD", "/" + f.backup + "/minio/"), "one stat per copy");
        assertTrue(f.backupBytes(MirrorKeys.indexKey(f.live)).isPresent(), "the index is written again");
        server.proxy().clearRequests();
        assertEquals(0, f.mirror("--json").count("copied"));
        assertEquals(0, server.proxy().count("HEAD", "/"), "the rebuilt index serves the next run");
    }
}
