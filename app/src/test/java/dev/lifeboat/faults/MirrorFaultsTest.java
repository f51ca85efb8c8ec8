package dev.lifeboat.faults;

import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lifeboat mirror} stopped or misled: SIGTERM and BACKUP_TIMEOUT in the middle of a copy
 * (the upload is aborted, no partial copy, exit 143 / 3), and a live listing that fails or comes
 * back empty with {@code --remove} (nothing is removed). The live bucket is reached through its
 * own fault proxy, which can slow its downloads down.
 */
class MirrorFaultsTest {
    static FaultBed bed;
    static FaultyProxy live;
    static int buckets;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        live = FaultyProxy.start(bed.s3.directEndpoint());
    }

    @AfterAll
    static void tearDown() throws Exception {
        live.close();
        bed.close();
    }

    @AfterEach
    void disarm() {
        live.throttleResponses(0);
        live.failWhere(r -> false, 0, 500);
        live.clearRequests();
        bed.s3.proxy().clearRequests();
    }

    /** A live bucket with {@code objects}, an empty backup bucket, and the environment for mirroring one into the other. */
    Map<String, String> mirrorEnv(String liveBucket, String backupBucket, Map<String, byte[]> objects) throws Exception {
        bed.s3.createBucket(liveBucket);
        for (var e : objects.entrySet()) {
            bed.s3.client().putObject(b -> b.bucket(liveBucket).key(e.getKey()), RequestBody.fromBytes(e.getValue()));
        }
        Map<String, String> env = bed.env("postgres", backupBucket);
        env.put("MINIO_ENDPOINT", live.endpoint().toString());
        env.put("MINIO_USE_SSL", "false");
        env.put("MINIO_ACCESS_KEY", bed.s3.accessKey());
        env.put("MINIO_SECRET_KEY", bed.s3.secretKey());
        env.put("MINIO_BUCKET", liveBucket);
        return env;
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Map<String, byte[]> withBig() {
        return Map.of("docs/a.txt", "a".getBytes(), "docs/b.txt", "b".getBytes(), "media/big.bin", random(20 << 20, 7));
    }

    List<String> copies(String backupBucket) {
        return bed.objects(backupBucket).stream().filter(k -> k.startsWith("minio/")).toList();
    }

    @Test
    void anUnchangedMirrorAsksTheBackupStoreNothingThroughTheSdk() throws Exception {
        int n = ++buckets;
        String backup = bed.bucket("own-requests");
        Map<String, String> env = mirrorEnv("live-own-" + n, backup, Map.of("docs/a.txt", "a".getBytes(), "docs/b.txt", "bb".getBytes()));
        Lifeboat.Result fresh = Lifeboat.run(env, "mirror");
        assertEquals(0, fresh.exit(), fresh.toString());
        bed.s3.proxy().clearRequests();
        Lifeboat.Result r = Lifeboat.run(env, "mirror");
        assertEquals(0, r.exit(), r.toString());
        List<FaultyProxy.Request> seen = bed.s3.proxy().requests();
        assertTrue(seen.stream().anyMatch(q -> q.method().equals("GET") && q.path().contains("index")), "the index was read: " + seen);
        assertTrue(seen.stream().noneMatch(FaultyProxy.Request::sdk), "no request of the SDK's: " + seen);
    }

    @Test
    void sigtermDuringACopyAbortsItsUploadAndExits143() throws Exception {
        String n = "m" + (++buckets);
        String backup = bed.bucket("mirror-sigterm");
        Map<String, String> env = mirrorEnv("live-" + n, backup, withBig());
        live.throttleResponses(4_000_000);
        Process p = Lifeboat.start(env, "mirror");
        try {
            FaultBed.await("the copy of big.bin uploads its first part", 60, () -> !p.isAlive() || bed.s3.proxy().requests().stream()
                    .anyMatch(r -> r.method().equals("PUT") && r.query().contains("partNumber") && r.path().startsWith("/" + backup + "/")));
            assertTrue(p.isAlive(), Lifeboat.read(p, "err"));
            p.destroy();
            assertEquals(143, p.waitFor(), Lifeboat.read(p, "err"));
        } finally {
            p.destroyForcibly();
        }
        assertFalse(copies(backup).contains("minio/live-" + n + "/media/big.bin"), "no partial copy: " + copies(backup));
        assertEquals(0, bed.unfinishedUploads(backup), "the multipart upload was aborted");
    }

    @Test
    void backupTimeoutDuringACopyAbortsItsUploadAndExits3() throws Exception {
        String n = "m" + (++buckets);
        String backup = bed.bucket("mirror-timeout");
        Map<String, String> env = mirrorEnv("live-" + n, backup, withBig());
        env.put("BACKUP_TIMEOUT", "3s");
        live.throttleResponses(2_000_000);
        Lifeboat.Result r = Lifeboat.run(env, "mirror");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("timed out after 3s (BACKUP_TIMEOUT)"), r.err());
        assertFalse(copies(backup).contains("minio/live-" + n + "/media/big.bin"), "no partial copy: " + copies(backup));
        assertEquals(0, bed.unfinishedUploads(backup));
    }

    @Test
    void aFailingLiveListingWithRemoveRemovesNothing() throws Exception {
        String n = "m" + (++buckets);
        String backup = bed.bucket("mirror-failing");
        Map<String, String> env = mirrorEnv("live-" + n, backup, Map.of("a.txt", "a".getBytes(), "b.txt", "b".getBytes()));
        assertEquals(0, Lifeboat.run(env, "mirror").exit());
        List<String> before = copies(backup);
        bed.s3.client().deleteObject(b -> b.bucket("live-" + n).key("a.txt"));
        live.failWhere(r -> r.method().equals("GET") && (r.path().equals("/live-" + n) || r.path().equals("/live-" + n + "/")), 1000, 500);
        Lifeboat.Result r = Lifeboat.run(env, "mirror", "--remove");
        assertEquals(3, r.exit(), r.toString());
        assertEquals(before, copies(backup), "nothing removed or moved aside");
        assertTrue(bed.objects(backup).stream().noneMatch(k -> k.startsWith("minio-replaced/")));
    }

    @Test
    void anEmptyLiveListingWithRemoveRemovesNothing() throws Exception {
        String n = "m" + (++buckets);
        String backup = bed.bucket("mirror-empty");
        Map<String, String> env = mirrorEnv("live-" + n, backup, Map.of("a.txt", "a".getBytes(), "b.txt", "b".getBytes()));
        assertEquals(0, Lifeboat.run(env, "mirror").exit());
        List<String> before = copies(backup);
        for (String k : List.of("a.txt", "b.txt")) bed.s3.client().deleteObject(b -> b.bucket("live-" + n).key(k));
        Lifeboat.Result r = Lifeboat.run(env, "mirror", "--remove");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("empty"), "says why: " + r.err());
        assertEquals(before, copies(backup));
    }
}
