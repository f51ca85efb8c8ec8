package dev.lifeboat.store;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against a real S3 server over HTTP (S3Proxy), plus S3-only behaviour: pagination, resume, retries, errors. */
class S3StoreTest extends ObjectStoreContract {
    private static S3Server server;
    private static final AtomicInteger buckets = new AtomicInteger();
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ObjectStore newStore() {
        bucket = "contract-" + buckets.incrementAndGet();
        server.createBucket(bucket);
        server.proxy().clearRequests();
        return new S3Store(server.settings(bucket));
    }

    @Test
    void listFollowsEveryPage() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1003; i++) expected.add(String.format("many/%04d", 1002 - i));
        expected.parallelStream().forEach(key -> server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x")));
        expected.sort(null);
        server.proxy().clearRequests();
        assertEquals(expected, keys(store.list("many/")));
        long listCalls = server.proxy().requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/" + bucket) && r.query().contains("list-type=2")).count();
        assertTrue(listCalls >= 2, "expected more than one page, saw " + listCalls + " list calls");
    }

    @Test
    void walkingTheLevelsListsWhatOneRecursiveListingDoes() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) keys.add("tree/" + (i % 7) + "/" + (i % 3 == 0 ? "deep/" : "") + String.format("k%03d", i));
        keys.add("tree/top");
        keys.add("treeless");
        keys.parallelStream().forEach(key -> server.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("x")));
        List<ObjectInfo> recursive = store.list("tree");
        server.proxy().clearRequests();
        List<ObjectInfo> walked = store.list("tree", 8);
        assertEquals(keys(recursive), keys(walked));
        assertEquals(keys.size(), walked.size());
        for (int i = 0; i < walked.size(); i++) {
            assertEquals(recursive.get(i).size(), walked.get(i).size());
            assertEquals(recursive.get(i).etag(), walked.get(i).etag());
        }
        assertTrue(server.proxy().requests().stream().allMatch(r -> r.query().contains("delimiter=%2F")), "a walk lists level by level");
    }

    @Test
    void createAbsentSkipsTheHeadOnceConditionalWritesAreProvenAndStillNeverOverwrites() throws Exception {
        store.put("absent/taken", bytes("first"), META);
        try (PendingObject p = store.createAbsent("absent/one", META, 3)) {
            p.stream().write(bytes("one"));
            p.commit();
        }
        assertTrue(store.stat("absent/.conditional-write-probe").isPresent(), "the probe object stays for the next run");
        server.proxy().clearRequests();
        try (PendingObject p = store.createAbsent("absent/two", META, 3)) {
            p.stream().write(bytes("two"));
            p.commit();
        }
        assertEquals(0, server.proxy().count("HEAD", "/" + bucket + "/absent/two"), "no HEAD before a proven conditional write");
        try (PendingObject p = store.createAbsent("absent/taken", META, 6)) {
            p.stream().write(bytes("second"));
            assertThrows(java.nio.file.FileAlreadyExistsException.class, p::commit);
        }
        assertEquals("first", new String(store.read("absent/taken"), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("two", new String(store.read("absent/two"), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void brokenDownloadResumesWithRangeRequests() throws Exception {
        byte[] data = random(3 * 1024 * 1024 + 17, 7);
        store.put("resume/obj", data, META);
        server.proxy().clearRequests();
        server.proxy().cutNext(2, 1024 * 1024);
        byte[] back;
        try (InputStream in = store.open("resume/obj")) {
            back = in.readAllBytes();
        }
        assertEquals(sha256(data), sha256(back));
        assertEquals(0, server.proxy().faultsPending(), "both cuts must have happened");
        assertEquals(3, server.proxy().count("GET", "/" + bucket + "/resume/obj"));
    }

    @Test
    void uploadSurvivesServerErrors() throws Exception {
        byte[] data = random(largerThanOnePart(), 8);
        server.proxy().clearRequests();
        server.proxy().failNext(3, 503);
        try (PendingObject p = store.create("retry/obj", META, data.length)) {
            p.stream().write(data);
            p.commit();
        }
        assertEquals(0, server.proxy().faultsPending());
        assertEquals(3, server.proxy().requests().stream().filter(FaultyProxy.Request::injected).count());
        assertEquals(sha256(data), sha256(store.read("retry/obj")));
        server.proxy().failNext(2, 500);
        store.put("retry/small", bytes("small"), META);
        assertEquals("small", new String(store.read("retry/small")));
    }

    @Test
    void partSizesKeepEvenHugeObjectsUnderTenThousandParts() {
        long mib = 1024 * 1024;
        assertEquals(8 * mib, S3Store.partSize(0));
        assertEquals(8 * mib, S3Store.partSize(1024 * mib));
        for (long size : new long[] {1L << 30, 100L << 30, 1L << 40, 5L << 40}) {
            long part = S3Store.partSize(size);
            assertEquals(0, part % mib);
            assertTrue((size + part - 1) / part <= 9000, size + " bytes in parts of " + part);
            assertTrue((size * 3 / 2 + part - 1) / part <= 10_000, "1.5 x " + size + " bytes still fits");
        }
        long unknown = S3Store.partSize(-1);
        assertTrue(((5L << 40) + unknown - 1) / unknown <= 10_000);
    }

    @Test
    void partBuffersTakeBoundedHeapWhateverThePartSize() {
        long mib = 1024 * 1024;
        PartPlan small = S3Store.partPlan(2L << 30, 128 * mib);
        assertEquals(8 * mib, small.partSize());
        assertEquals(4, small.buffers());
        assertEquals(3, small.inFlight());
        assertFalse(small.spooled());
        for (long heap : new long[] {64 * mib, 128 * mib, 256 * mib, 4096 * mib}) {
            for (long size : new long[] {-1, 0, 1L << 30, 100L << 30, 1L << 40, 3L << 40, 5L << 40}) {
                PartPlan plan = S3Store.partPlan(size, heap);
                String what = size + " bytes, heap " + heap + ": " + plan;
                assertTrue(plan.buffers() >= 2 && plan.buffers() <= 4, what);
                assertTrue(plan.memoryBytes() <= Math.min(PartPlan.MAX_MEMORY, heap / 4), what);
                assertEquals(plan.partSize() > plan.memoryBytes() / 2, plan.spooled(), what);
            }
        }
        // a 3 TiB database: parts of hundreds of MiB, spooled; the heap holds 3 x 10 MiB of them
        PartPlan huge = S3Store.partPlan(3L << 40, 128 * mib);
        assertTrue(huge.partSize() >= 500 * mib, huge.toString());
        assertTrue(huge.spooled());
        assertEquals(3, huge.buffers());
        assertEquals(10 * mib, huge.memoryPerBuffer());
    }

    @Test
    void spooledPartsUploadIntact() throws Exception {
        // parts of 8 MiB, of which only 1 MiB each stays in memory: the rest goes through temporary files
        PartPlan plan = new PartPlan(8L << 20, 3, 1L << 20);
        Path spool = Scratch.dir("lifeboat-spool-test");
        byte[] data = random((int) (8L << 20) * 2 + 12345, 3);
        server.proxy().failNext(1, 500); // a retried part is read from its spool file again
        try (PendingObject p = ((S3Store) store).createWith("spool/obj", META, plan, spool)) {
            for (int off = 0; off < data.length; off += 100_000) p.stream().write(data, off, Math.min(100_000, data.length - off));
            assertEquals(data.length, p.commit().size());
        }
        assertEquals(0, server.proxy().faultsPending());
        assertEquals(sha256(data), sha256(store.read("spool/obj")));
        try (var left = Files.list(spool)) {
            assertEquals(0, left.count(), "spool files are unlinked");
        }
    }

    @Test
    void wrongSecretIsAccessDeniedWithoutTheSecret() throws Exception {
        String wrong = "wrong-secret-value-123";
        S3Settings bad = new S3Settings(server.endpoint(), S3Server.REGION, bucket, server.accessKey(), wrong, null, null, null);
        try (S3Store s = new S3Store(bad)) {
            IOException e = assertThrows(IOException.class, () -> s.list(""));
            assertTrue(e.getMessage().contains("access denied"), e.getMessage());
            assertTrue(e.getMessage().contains("s3://" + bucket), e.getMessage());
            assertFalse(e.getMessage().contains(wrong));
            assertFalse(e.getMessage().contains(server.secretKey()));
        }
    }

    @Test
    void missingBucketIsNamed() throws Exception {
        try (S3Store s = new S3Store(server.settings("no-such-bucket"))) {
            IOException e = assertThrows(IOException.class, () -> s.list(""));
            assertTrue(e.getMessage().contains("s3://no-such-bucket: bucket does not exist"), e.getMessage());
        }
    }

    @Test
    void unreachableEndpointNamesTheBucket() throws Exception {
        java.net.URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        S3Settings settings = new S3Settings(dead, S3Server.REGION, "b", "AK", "secret-xyz", null, null, null);
        try (S3Store s = new S3Store(settings)) {
            IOException e = assertThrows(IOException.class, () -> s.stat("k"));
            assertTrue(e.getMessage().startsWith("s3://b/k: "), e.getMessage());
            assertFalse(e.getMessage().contains("secret-xyz"));
        }
    }

    @Test
    void settingsComeFromTheEnvironment() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(server.env(bucket));
        try (ObjectStore s = ObjectStores.fromEnv(dev.lifeboat.config.Env.of(env))) {
            assertTrue(s instanceof S3Store);
            assertEquals("s3://" + bucket, s.describe());
            s.put("env/ok", bytes("ok"), META);
            assertEquals("ok", new String(store.read("env/ok")));
        }
        assertFalse(S3Settings.fromEnv(dev.lifeboat.config.Env.of(env)).toString().contains(server.secretKey()));
    }
}
