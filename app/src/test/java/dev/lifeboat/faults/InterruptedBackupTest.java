package dev.lifeboat.faults;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.config.Env;
import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import dev.lifeboat.rotate.RotateJob;
import dev.lifeboat.rotate.RotateReport;
import dev.lifeboat.rotate.RotateSettings;
import dev.lifeboat.store.S3Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup stopped from outside: {@code kill -9}, SIGTERM (cron's timeout), BACKUP_TIMEOUT, and a
 * second run while the first holds the lock. pg_dump is slowed down (its real output through a
 * rate limiter) so that the run is stopped while pg_dump works and the upload is in flight.
 */
class InterruptedBackupTest {
    static final String BIG = "faults_slow";
    static final String SMALL = "faults_pagila";
    static final long MB_PER_S = 1_000_000;
    static FaultBed bed;
    static FaultyProxy proxy;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.bigDatabase(BIG, 24);
        bed.fixture(SMALL, Fixtures.PAGILA);
        proxy = bed.s3.proxy();
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    @AfterEach
    void clear() {
        proxy.clearRequests();
    }

    static boolean isPart(FaultyProxy.Request r) {
        return r.method().equals("PUT") && r.query().contains("partNumber");
    }

    /** A backup of the 24 MB database, uncompressed, with pg_dump's output slowed to {@code rate} bytes/s. */
    Map<String, String> slowBigBackup(String bucket, PgBinSpy bin) throws Exception {
        Map<String, String> env = bed.env(BIG, bucket);
        env.put("BACKUP_COMPRESSION", "none");
        env.put("PG_BIN_DIR", bin.dir().toString());
        return env;
    }

    void awaitUploadPart(Process p, String bucket) throws Exception {
        FaultBed.await("the proxy saw an UploadPart request", 60, () -> !p.isAlive()
                || proxy.requests().stream().anyMatch(r -> isPart(r) && r.path().startsWith("/" + bucket + "/")));
        assertTrue(p.isAlive(), "the backup still runs: " + Lifeboat.read(p, "err"));
    }

    @Test
    void killDashNineDuringTheUploadLeavesNothingThatLooksLikeABackup() throws Exception {
        String bucket = bed.bucket("kill9");
        Map<String, String> goodEnv = bed.env(SMALL, bucket);
        goodEnv.put("BACKUP_SOURCE_NAME", "faults-kill9");
        String good = bed.backup(goodEnv);
        List<String> goodObjects = bed.objects(bucket);

        PgBinSpy bin = PgBinSpy.throttled(bed.pg.binDir(), "pg_dump", 8 * MB_PER_S);
        Map<String, String> env = slowBigBackup(bucket, bin);
        env.put("BACKUP_SOURCE_NAME", "faults-kill9");
        Process p = Lifeboat.start(env, "backup");
        try {
            awaitUploadPart(p, bucket);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }

        assertEquals(goodObjects, bed.objects(bucket), "no new object, no manifest");
        assertEquals(1, bed.unfinishedUploads(bucket), "the killed upload is left unfinished (for rotate)");
        Lifeboat.Result list = Lifeboat.run(goodEnv, "list", "--all");
        assertEquals(0, list.exit(), list.toString());
        assertEquals(1, list.out().lines().filter(l -> l.contains("pg/faults-kill9/")).count(), "list shows the good backup only: " + list);
        assertTrue(list.out().contains(good), list.out());
        Lifeboat.Result verify = Lifeboat.run(goodEnv, "verify", "--latest", "--level", "quick", "--json");
        assertEquals(0, verify.exit(), verify.toString());
        assertTrue(verify.out().contains(good), "verify --latest checks the good one: " + verify.out());
        Lifeboat.Result latest = Lifeboat.run(goodEnv, "restore", "--latest", "--dry-run");
        assertEquals(0, latest.exit(), latest.toString());
        assertTrue(latest.err().contains("backup " + good + ":"), "restore --latest picks the good one: " + latest);
        bed.stockRestoreList(bucket, good);

        FaultBed.nextSecond();
        String next = bed.backup(goodEnv);
        assertTrue(bed.objects(bucket).contains(next + ".manifest.json"), "the next backup succeeds");

        Map<String, String> rotateEnv = new java.util.HashMap<>(goodEnv);
        rotateEnv.put("BACKUP_MAX_AGE", "7d");
        List<String> before = bed.objects(bucket);
        try (S3Store store = S3Store.fromEnv(Env.of(rotateEnv))) {
            RotateSettings settings = RotateSettings.fromEnv(Env.of(rotateEnv));
            RotateJob.Request soon = new RotateJob.Request("faults-kill9", false, false, Instant.now().plus(Duration.ofHours(1)));
            RotateReport early = new RotateJob(store, settings, RotateJob.ExclusiveHold.NO_LOCK).run(soon);
            assertEquals(List.of(), early.refusals());
            assertEquals(1, bed.unfinishedUploads(bucket), "within rotate's 24h grace the upload might still be running");
            RotateJob.Request later = new RotateJob.Request("faults-kill9", false, false, Instant.now().plus(Duration.ofHours(25)));
            RotateReport report = new RotateJob(store, settings, RotateJob.ExclusiveHold.NO_LOCK).run(later);
            assertEquals(List.of(), report.refusals());
            assertEquals(1, report.unfinishedUploads().size(), report.toString());
        }
        assertEquals(before, bed.objects(bucket), "both complete backups are kept");
        assertEquals(0, bed.unfinishedUploads(bucket), "rotate aborted the leftover upload");
    }

    @Test
    void aSecondBackupExits75AndSigtermStopsTheFirstCleanly() throws Exception {
        String bucket = bed.bucket("sigterm");
        PgBinSpy bin = PgBinSpy.throttled(bed.pg.binDir(), "pg_dump", 8 * MB_PER_S);
        Map<String, String> env = slowBigBackup(bucket, bin);
        Process p = Lifeboat.start(env, "backup");
        long dumpPid;
        try {
            FaultBed.await("pg_dump started", 60, () -> !p.isAlive() || !pids(bin).isEmpty());
            Lifeboat.Result second = Lifeboat.run(env, "backup");
            assertEquals(75, second.exit(), second.toString());
            assertTrue(second.err().contains("pid " + p.pid()), "says which process holds the lock: " + second.err());

            awaitUploadPart(p, bucket);
            dumpPid = bin.pids("pg_dump").get(0);
            assertTrue(FaultBed.running(dumpPid, "pg_dump"), "pg_dump runs while the upload is in flight");
            p.destroy(); // SIGTERM
            assertEquals(143, p.waitFor(), Lifeboat.read(p, "err"));
        } finally {
            p.destroyForcibly();
        }
        System.out.println("SIGTERM child stderr:\n" + Lifeboat.read(p, "err"));
        assertFalse(FaultBed.running(dumpPid, "pg_dump"), "pg_dump was stopped");
        assertTrue(Lifeboat.read(p, "err").contains("stopped by a signal"), Lifeboat.read(p, "err"));
        assertTrue(proxy.requests().stream().anyMatch(q -> q.method().equals("DELETE") && q.query().contains("uploadId")),
                "the multipart upload was aborted");
        bed.assertObjects(bucket, List.of());
    }

    @Test
    void sigtermDuringABackupToBackupDirRemovesItsTemporaryFile() throws Exception {
        Path dir = Scratch.dir("faults-backup-dir-");
        PgBinSpy bin = PgBinSpy.throttled(bed.pg.binDir(), "pg_dump", 8 * MB_PER_S);
        Map<String, String> env = slowBigBackup("unused", bin);
        env.keySet().removeIf(k -> k.startsWith("BACKUP_S3_"));
        env.put("BACKUP_DIR", dir.toString());
        Process p = Lifeboat.start(env, "backup");
        long dumpPid;
        try {
            FaultBed.await("a temporary file grows in BACKUP_DIR", 60,
                    () -> !p.isAlive() || tempFiles(dir).stream().anyMatch(f -> f.toFile().length() > 1_000_000));
            assertTrue(p.isAlive(), Lifeboat.read(p, "err"));
            dumpPid = bin.pids("pg_dump").get(0);
            p.destroy();
            assertEquals(143, p.waitFor(), Lifeboat.read(p, "err"));
        } finally {
            p.destroyForcibly();
        }
        assertFalse(FaultBed.running(dumpPid, "pg_dump"), "pg_dump was stopped");
        assertEquals(List.of(), tempFiles(dir), "temporary files removed");
        assertEquals(List.of(), files(dir), "no object");
    }

    @Test
    void backupTimeoutStopsPgDumpAbortsTheUploadAndExits3() throws Exception {
        String bucket = bed.bucket("timeout");
        PgBinSpy bin = PgBinSpy.throttled(bed.pg.binDir(), "pg_dump", 2 * MB_PER_S);
        Map<String, String> env = slowBigBackup(bucket, bin);
        env.put("BACKUP_TIMEOUT", "3s");
        long started = System.nanoTime();
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("timed out after 3s (BACKUP_TIMEOUT)"), r.err());
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "stopped soon after the limit");
        for (long pid : bin.pids("pg_dump")) assertFalse(FaultBed.running(pid, "pg_dump"), "pg_dump " + pid + " was stopped");
        bed.assertObjects(bucket, List.of());
    }

    static List<Long> pids(PgBinSpy bin) {
        try {
            return bin.pids("pg_dump");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Path> tempFiles(Path dir) {
        return files(dir).stream().filter(f -> f.getFileName().toString().startsWith(".lifeboat-tmp-")).toList();
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).toList());
        } catch (java.io.IOException e) {
            return List.of(); // a file vanished while walking: look again next time
        }
    }
}
