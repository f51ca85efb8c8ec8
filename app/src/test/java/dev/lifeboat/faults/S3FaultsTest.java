package dev.lifeboat.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup bucket misbehaves: connections break in the middle of an upload or a download,
 * the store answers 500 or 503 SlowDown. Lifeboat retries with backoff and succeeds once the
 * store recovers; when it does not, the multipart upload is aborted, the exit code is 3 and
 * nothing is visible in the bucket; a broken download resumes with a range request.
 */
class S3FaultsTest {
    static final String BIG = "faults_big";
    static final String SMALL = "faults_pagila";
    static final long MIB = 1 << 20;
    static FaultBed bed;
    static FaultyProxy proxy;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.bigDatabase(BIG, 12);
        bed.fixture(SMALL, Fixtures.PAGILA);
        proxy = bed.s3.proxy();
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    @AfterEach
    void disarm() {
        proxy.failWhere(r -> false, 0, 500);
        proxy.failNext(0, 500);
        proxy.cutNext(0, 0);
        proxy.cutRequestAfter(0, 0);
        proxy.clearRequests();
    }

    Map<String, String> bigEnv(String bucket) throws Exception {
        Map<String, String> env = bed.env(BIG, bucket);
        env.put("BACKUP_COMPRESSION", "none"); // two 8 MiB parts at least
        return env;
    }

    static boolean isPart(FaultyProxy.Request r) {
        return r.method().equals("PUT") && r.query().contains("partNumber");
    }

    /** The stored dump has the size and SHA-256 its manifest promises: the retried parts were assembled right. */
    void assertStoredAsManifested(String bucket, String stem) throws Exception {
        JsonNode m = Json.mapper().readTree(bed.read(bucket, stem + ".manifest.json"));
        byte[] dump = bed.read(bucket, m.get("dump").get("key").asText());
        assertEquals(m.get("dump").get("bytes").asLong(), dump.length);
        assertEquals(m.get("dump").get("sha256").asText(), java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(dump)));
    }

    @Test
    void aPartCutMidwayIsRetriedAndTheBackupSucceeds() throws Exception {
        String bucket = bed.bucket("cut-part");
        proxy.cutRequestAfter(2, MIB);
        String stem = bed.backup(bigEnv(bucket));
        assertEquals(0, proxy.faultsPending(), "both cuts fired");
        long partRequests = proxy.requests().stream().filter(S3FaultsTest::isPart).count();
        long distinctParts = proxy.requests().stream().filter(S3FaultsTest::isPart).map(FaultyProxy.Request::query).distinct().count();
        assertTrue(distinctParts >= 2, "a multipart upload: " + proxy.requests());
        assertEquals(distinctParts + 2, partRequests, "each cut part was sent again");
        assertStoredAsManifested(bucket, stem);
        assertEquals(0, bed.unfinishedUploads(bucket));
    }

    @Test
    void partsCutEveryTimeAbortTheUploadExit3AndLeaveNothing() throws Exception {
        String bucket = bed.bucket("cut-always");
        proxy.cutRequestAfter(1000, MIB);
        Lifeboat.Result r = Lifeboat.run(bigEnv(bucket), "backup");
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("s3://" + bucket), "names the store: " + r.err());
        assertTrue(proxy.requests().stream().anyMatch(q -> q.method().equals("DELETE") && q.query().contains("uploadId")),
                "the multipart upload was aborted");
        bed.assertObjects(bucket, List.of());
    }

    @Test
    void aCompletionAnsweredWithAnErrorInA200FailsTheBackupExit3AndLeavesNothing() throws Exception {
        String bucket = bed.bucket("complete-error");
        // S3 may answer CompleteMultipartUpload 200 and report an error in the body
        proxy.failWhere(q -> q.method().equals("POST") && q.query().contains("uploadId="), 1, 200);
        Lifeboat.Result r = Lifeboat.run(bigEnv(bucket), "backup");
        assertEquals(3, r.exit(), r.toString());
        assertEquals(0, proxy.faultsPending(), "the completion was answered with the error");
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("s3://" + bucket) && r.err().contains("InjectedFault"), "names the store and its code: " + r.err());
        bed.assertObjects(bucket, List.of());
        assertEquals(0, bed.unfinishedUploads(bucket));
    }

    @Test
    void slowDownAndInternalErrorsAreRetriedUntilTheStoreRecovers() throws Exception {
        String bucket = bed.bucket("slowdown");
        proxy.failWhere(S3FaultsTest::isPart, 3, 503);
        String stem = bed.backup(bigEnv(bucket));
        assertEquals(3, proxy.requests().stream().filter(q -> q.injected() && isPart(q)).count(), "three SlowDown answers");
        assertStoredAsManifested(bucket, stem);

        String small = bed.bucket("internal-error");
        proxy.clearRequests();
        proxy.failWhere(q -> q.method().equals("PUT") && !q.query().contains("partNumber"), 4, 500);
        String smallStem = bed.backup(bed.env(SMALL, small));
        assertEquals(4, proxy.requests().stream().filter(FaultyProxy.Request::injected).count(), "four 500 answers");
        assertTrue(bed.objects(small).contains(smallStem + ".manifest.json"), bed.objects(small).toString());
        bed.stockRestoreList(small, smallStem);
    }

    @Test
    void aStoreThatKeepsAnsweringSlowDownFailsTheBackupCleanly() throws Exception {
        String bucket = bed.bucket("slowdown-always");
        proxy.failWhere(S3FaultsTest::isPart, 1000, 503);
        Lifeboat.Result r = Lifeboat.run(bigEnv(bucket), "backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("SlowDown") || r.err().contains("503"), "says what the store answered: " + r.err());
        bed.assertObjects(bucket, List.of());
    }

    @Test
    void aDownloadCutMidObjectResumesAndTheRestoreVerifies() throws Exception {
        String bucket = bed.bucket("cut-download");
        Map<String, String> env = bed.env(SMALL, bucket);
        String stem = bed.backup(env);
        long dumpSize = bed.read(bucket, stem + ".dump.gz.gpg").length;
        assertTrue(dumpSize > 300_000, "big enough to cut twice: " + dumpSize);
        proxy.clearRequests();
        proxy.cutNext(2, 100_000);
        String into = "faults_cut_download";
        bed.pg.dropDatabase(into);
        Lifeboat.Result r = Lifeboat.run(env, "restore", stem, "--into", into, "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, proxy.faultsPending(), "both cuts fired");
        long dumpGets = proxy.requests().stream().filter(q -> q.method().equals("GET") && q.path().endsWith(stem + ".dump.gz.gpg")).count();
        assertEquals(3, dumpGets, "first GET and two ranged resumes: " + proxy.requests());
        JsonNode report = Json.mapper().readTree(r.out());
        assertTrue(report.get("checks").toString().contains("SHA-256"), report.toString());
        assertEquals(bed.contentFingerprint(SMALL), bed.contentFingerprint(into), "the restored copy is the database");
        bed.pg.dropDatabase(into);
    }

    @Test
    void aDownloadCutDuringAFullVerifyResumes() throws Exception {
        String bucket = bed.bucket("cut-verify");
        Map<String, String> env = bed.env(SMALL, bucket);
        String stem = bed.backup(env);
        proxy.clearRequests();
        proxy.cutNext(2, 100_000);
        Lifeboat.Result r = Lifeboat.run(env, "verify", stem, "--level", "full");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, proxy.faultsPending(), "both cuts fired");
        assertTrue(proxy.requests().stream().filter(q -> q.method().equals("GET") && q.path().endsWith(stem + ".dump.gz.gpg")).count() >= 3,
                "resumed twice: " + proxy.requests());
        assertTrue(bed.objects(bucket).contains(stem + ".verified.json"), bed.objects(bucket).toString());
    }

    @Test
    void aDownloadCutDuringTheDrillResumes() throws Exception {
        String bucket = bed.bucket("cut-drill");
        Map<String, String> env = bed.env(SMALL, bucket);
        String stem = bed.backup(env);
        proxy.clearRequests();
        proxy.cutNext(1, 150_000);
        Lifeboat.Result r = Lifeboat.run(env, "drill", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(0, proxy.faultsPending());
        assertEquals("passed", Json.mapper().readTree(r.out()).get("status").asText());
        assertTrue(bed.objects(bucket).contains(stem + ".verified.json"), bed.objects(bucket).toString());
    }
}
