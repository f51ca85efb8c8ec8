package dev.lifeboat.faults;

import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lifeboat rotate} against a real S3 bucket whose listing looks wrong: empty, stale
 * (backups stopped), suspicious (more than half would go), or failing. It deletes nothing and
 * says why: exit 1 for a refusal, exit 3 when the listing itself fails.
 */
class RotateFaultsTest {
    static final String DB = "faults_rotate";
    static final DateTimeFormatter STEM = DateTimeFormatter.ofPattern("yyyy-MM-dd/HHmmss").withZone(ZoneOffset.UTC);
    static FaultBed bed;
    static String sourceBucket;
    static String good;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture(DB, Fixtures.CHINOOK);
        sourceBucket = bed.bucket("rotate-source");
        good = bed.backup(bed.env(DB, sourceBucket));
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    /** Copies of the good backup (with lifeboat's metadata) taken at these times. */
    void backupsAt(String bucket, Instant... times) {
        for (Instant t : times) {
            String stem = "pg/" + DB + "/" + STEM.format(t);
            for (String suffix : List.of(".dump.gz.gpg", ".globals.sql.gz.gpg", ".manifest.json")) {
                bed.write(bucket, stem + suffix, bed.read(sourceBucket, good + suffix));
            }
        }
    }

    Lifeboat.Result rotate(String bucket, Map<String, String> extra) throws Exception {
        Map<String, String> env = bed.env(DB, bucket);
        env.putAll(extra);
        return Lifeboat.run(env, "rotate");
    }

    @Test
    void anEmptyListingDeletesNothingAndExits1() throws Exception {
        String bucket = bed.bucket("rotate-empty");
        bed.write(bucket, "pg/" + DB + "/notes.txt", "someone else's file".getBytes());
        Lifeboat.Result r = rotate(bucket, Map.of());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("no complete backup found"), r.err());
        assertEquals(List.of("pg/" + DB + "/notes.txt"), bed.objects(bucket));
    }

    @Test
    void aStaleListingDeletesNothingAndExits1() throws Exception {
        String bucket = bed.bucket("rotate-stale");
        Instant old = Instant.parse("2020-03-01T02:00:00Z");
        backupsAt(bucket, old, old.minus(Duration.ofDays(40)), old.minus(Duration.ofDays(80)), old.minus(Duration.ofDays(120)));
        List<String> before = bed.objects(bucket);
        Lifeboat.Result r = rotate(bucket, Map.of());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("older than BACKUP_MAX_AGE"), "says why: " + r.err());
        assertEquals(before, bed.objects(bucket));
    }

    @Test
    void aSuspiciousPlanDeletesNothingAndExits1() throws Exception {
        String bucket = bed.bucket("rotate-suspicious");
        Instant now = Instant.now().minusSeconds(60);
        backupsAt(bucket, now, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(4)));
        List<String> before = bed.objects(bucket);
        Lifeboat.Result r = rotate(bucket, Map.of("BACKUP_KEEP_LAST", "1", "BACKUP_KEEP_HOURLY", "1h", "BACKUP_KEEP_DAILY", "0"));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("more than half"), "says why: " + r.err());
        assertEquals(before, bed.objects(bucket));
    }

    @Test
    void aFailingListingDeletesNothingAndExits3() throws Exception {
        String bucket = bed.bucket("rotate-failing");
        Instant now = Instant.now().minusSeconds(60);
        backupsAt(bucket, now, now.minus(Duration.ofDays(60)));
        List<String> before = bed.objects(bucket);
        bed.s3.proxy().clearRequests();
        bed.s3.proxy().failWhere(q -> q.method().equals("GET") && q.query().contains("list-type"), 1000, 500);
        try {
            Lifeboat.Result r = rotate(bucket, Map.of());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains(bucket), "names the store: " + r.err());
            assertTrue(bed.s3.proxy().requests().stream().noneMatch(q -> q.method().equals("DELETE") || q.method().equals("POST")),
                    "no delete was even tried");
        } finally {
            bed.s3.proxy().failWhere(q -> false, 0, 500);
        }
        assertEquals(before, bed.objects(bucket));
    }
}
