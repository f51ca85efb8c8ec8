package dev.lifeboat.rotate;

import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.S3Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rotate against a real S3 server: ~500 complete backups, lifeboat's own incomplete leftovers,
 * an unfinished upload and objects another tool wrote under pg/ — on a store that refuses
 * batch deletes, so the one-by-one fallback is what deletes.
 */
class RotateS3Test {
    static final String BUCKET = "rotate-s3";
    static final String SOURCE = "shop";
    static final int BACKUPS = 500;
    static S3Server s3;
    static S3Client client;
    static Instant newest;
    static List<RetentionCandidate> complete = new ArrayList<>();
    static List<String> leftovers = new ArrayList<>();
    static List<String> foreign = new ArrayList<>();

    @BeforeAll
    static void fillTheBucket() throws Exception {
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        client = s3.client();
        newest = Instant.now().plus(Duration.ofHours(24)).truncatedTo(ChronoUnit.HOURS);
        Map<String, String> ours = Map.of(ObjectStore.VERSION_METADATA, "test");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < BACKUPS; i++) {
            BackupKey key = BackupKey.of(BackupKey.PG, SOURCE, newest.minus(Duration.ofHours(i)), null);
            complete.add(new RetentionCandidate(key.stem(), key.time(), null, false));
            puts.add(pool.submit(() -> put(key.stem() + ".dump.gz.gpg", ours)));
            puts.add(pool.submit(() -> put(key.manifestKey(), ours)));
        }
        for (int i = 0; i < 3; i++) {
            String stem = BackupKey.of(BackupKey.PG, SOURCE, newest.minus(Duration.ofMinutes(30 + 60L * i)), null).stem();
            leftovers.add(stem + ".dump.gz.gpg");
            puts.add(pool.submit(() -> put(stem + ".dump.gz.gpg", ours)));
        }
        String old = BackupKey.of(BackupKey.PG, SOURCE, newest.minus(Duration.ofDays(40)), null).stem();
        foreign.add(old + ".dump.gz");
        foreign.add("pg/" + SOURCE + "/README.txt");
        foreign.add(complete.get(BACKUPS - 1).id() + ".sha256");
        for (String f : foreign) puts.add(pool.submit(() -> put(f, Map.of())));
        for (Future<?> f : puts) f.get();
        pool.shutdown();
        client.createMultipartUpload(b -> b.bucket(BUCKET).key(old + ".globals.sql.gz.gpg"));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static Void put(String key, Map<String, String> metadata) {
        client.putObject(b -> b.bucket(BUCKET).key(key).metadata(metadata), RequestBody.fromString("x"));
        return null;
    }

    static Set<String> keys() {
        return client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static RotateSettings settings() {
        RetentionSettings d = RetentionSettings.defaults();
        RetentionSettings retention = new RetentionSettings(Duration.ofDays(14), d.keepDaily(), d.keepWeekly(), d.keepMonthly(),
                d.keepYearly(), d.keepLast(), d.keepTagged(), d.holdTags(), d.maxRetention(), d.zone());
        return new RotateSettings(retention, Duration.ofHours(2), Duration.ofHours(25), Duration.ofDays(30), RotateSettings.LEFTOVER_GRACE);
    }

    @Test
    void keepsExactlyThePlannedSetRemovesItsOwnLeftoversAndLeavesForeignObjects() throws Exception {
        Instant now = newest.plus(Duration.ofMinutes(30));
        Set<String> before = keys();
        try (ObjectStore store = new S3Store(s3.settings(BUCKET))) {
            RotateReport dry = new RotateJob(store, settings(), RotateJob.ExclusiveHold.NO_LOCK)
                    .run(new RotateJob.Request(SOURCE, true, false, now));
            assertFalse(dry.refused(), dry.refusals().toString());
            assertEquals(before, keys(), "--dry-run changes nothing");
            assertEquals(1, client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size());

            s3.proxy().failWhere(r -> r.method().equals("POST") && r.query().startsWith("delete"), 100, 501);
            RotateReport report = new RotateJob(store, settings(), RotateJob.ExclusiveHold.NO_LOCK)
                    .run(new RotateJob.Request(SOURCE, false, false, now));
            assertTrue(report.failed().isEmpty(), report.failed().toString());
            assertTrue(s3.proxy().requests().stream().anyMatch(r -> r.injected()), "the store refused a batch delete");
        }
        RetentionPlan plan = new RetentionPolicy(settings().retention()).plan(complete, now);
        Set<String> expected = new TreeSet<>();
        plan.kept().forEach(d -> {
            expected.add(d.backup().id() + ".dump.gz.gpg");
            expected.add(d.backup().id() + BackupKey.MANIFEST_SUFFIX);
        });
        expected.addAll(foreign);
        assertTrue(plan.removed().size() > 100 && plan.kept().size() > 300, "a real plan: " + plan.kept().size() + " kept");
        assertEquals(expected, keys(), "exactly the planned backups and the foreign objects remain");
        for (String l : leftovers) assertFalse(keys().contains(l), "own leftover removed: " + l);
        assertEquals(0, client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size(), "the unfinished upload was aborted");
    }
}
