package dev.lifeboat.faults;

import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups that cannot be trusted or opened: a wrong secret key or passphrase (exit 2 naming the
 * key ids, before the object is downloaded), a flipped byte, a truncated object, a missing or
 * altered manifest (restore and drill refuse naming the layer that failed). The live database
 * is never touched, and the previous good backup still restores with stock tools.
 */
class DamagedBackupTest {
    static final String LIVE = "faults_damaged";
    static FaultBed bed;
    static FaultyProxy proxy;
    static String bucket;
    static Map<String, String> env;
    static String good;
    static String liveContent;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture(LIVE, Fixtures.CHINOOK);
        proxy = bed.s3.proxy();
        bucket = bed.bucket("damaged");
        env = bed.env(LIVE, bucket);
        good = bed.backup(env);
        liveContent = bed.contentFingerprint(LIVE);
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    @AfterEach
    void checkNothingTouched() throws Exception {
        proxy.cutNext(0, 0);
        proxy.clearRequests();
        assertEquals(liveContent, bed.contentFingerprint(LIVE), "the live database is untouched");
        assertTrue(bed.allowsConnections(LIVE));
        assertEquals("", bed.pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'faults_damaged_%' "
                + "OR datname LIKE 'lifeboat_drill_%'").strip(), "no side or drill database left");
        bed.stockRestoreList(bucket, good);
    }

    /** A copy of the good backup under another stem, with {@code dump} and {@code manifest} changed; returns the stem. */
    String damagedCopy(String name, UnaryOperator<byte[]> dump, UnaryOperator<String> manifest) {
        String stem = good.substring(0, good.lastIndexOf('/') + 1) + name;
        for (String suffix : List.of(".dump.gz.gpg", ".globals.sql.gz.gpg")) {
            byte[] data = bed.read(bucket, good + suffix);
            bed.write(bucket, stem + suffix, suffix.startsWith(".dump") ? dump.apply(data) : data);
        }
        String m = new String(bed.read(bucket, good + ".manifest.json"), StandardCharsets.UTF_8).replace(good, stem);
        bed.write(bucket, stem + ".manifest.json", manifest.apply(m).getBytes(StandardCharsets.UTF_8));
        return stem;
    }

    Lifeboat.Result restore(Map<String, String> e, String stem) {
        return Lifeboat.run(e, "restore", stem, "--confirm=" + LIVE, "--no-safety-backup");
    }

    long dumpGets(String stem) {
        return proxy.requests().stream().filter(r -> r.method().equals("GET") && r.path().endsWith(stem + ".dump.gz.gpg")).count();
    }

    static void assertOneLine(Lifeboat.Result r) {
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("lifeboat: ")).count(), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void aWrongSecretKeyExits2NamingTheKeyIdsBeforeTheObjectIsDownloaded() throws Exception {
        GpgHome.Key other = bed.gpg.generateCv25519("Other <other@example.com>", null);
        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("BACKUP_GPG_SECRET_KEY", bed.gpg.exportSecret(other.fingerprint(), "").toString());
        String subkey = "0x" + bed.gpg.subkeyFingerprints(bed.key.fingerprint()).get(0).substring(24);
        List<String> objects = bed.objects(bucket);
        for (List<String> args : List.of(List.of("restore", good, "--confirm=" + LIVE), List.of("drill", good),
                List.of("verify", good, "--level", "full"))) {
            proxy.clearRequests();
            proxy.cutNext(1, 32_000); // if it read past 32 kB, it would have to resume: a second GET
            Lifeboat.Result r = Lifeboat.run(wrong, args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r);
            assertTrue(r.err().contains(subkey), args + " names the key id " + subkey + ": " + r.err());
            assertOneLine(r);
            assertTrue(dumpGets(good) <= 1, args + " read only the head of the object: " + proxy.requests());
        }
        assertEquals(objects, bed.objects(bucket), "nothing written (no safety backup, no drill report)");
    }

    @Test
    void aWrongPassphraseExits2ForRestoreAndDrill() throws Exception {
        String pbucket = bed.bucket("passphrase");
        Map<String, String> penv = bed.env(LIVE, pbucket);
        penv.remove("BACKUP_GPG_RECIPIENT");
        penv.remove("BACKUP_GPG_PUBLIC_KEY");
        penv.remove("BACKUP_GPG_SECRET_KEY");
        penv.put("BACKUP_GPG_PASSPHRASE", "right-Passphrase-1");
        String stem = bed.backup(penv);
        penv.put("BACKUP_GPG_PASSPHRASE", "wrong-Passphrase-2");
        for (List<String> args : List.of(List.of("restore", stem, "--confirm=" + LIVE), List.of("drill", stem),
                List.of("verify", stem, "--level", "full"))) {
            Lifeboat.Result r = Lifeboat.run(penv, args.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r);
            assertTrue(r.err().contains("BACKUP_GPG_PASSPHRASE"), r.err());
            assertFalse(r.err().contains("Passphrase-"), "no passphrase in the message: " + r.err());
            assertOneLine(r);
        }
        assertEquals(3, bed.objects(pbucket).size(), "nothing written: " + bed.objects(pbucket));
    }

    @Test
    void aFlippedByteIsRefusedNamingTheLayer() throws Exception {
        String stem = damagedCopy("010101", d -> {
            byte[] c = Arrays.copyOf(d, d.length);
            c[c.length / 2] ^= 0x40;
            return c;
        }, m -> m);
        assertRefused(stem, "checksum does not match the manifest", "FAIL  checksum");
    }

    @Test
    void aTruncatedObjectIsRefusedNamingTheLayer() throws Exception {
        String stem = damagedCopy("020202", d -> Arrays.copyOf(d, d.length * 2 / 3), m -> m);
        assertRefused(stem, "checksum does not match the manifest", "FAIL  size");
    }

    @Test
    void anAlteredManifestIsRefused() throws Exception {
        // both copies of the checksum edited alike: the object no longer matches its manifest
        String sha = damagedCopy("030303", d -> d, m -> m.replaceAll("\"sha256\" : \"[0-9a-f]{4}", "\"sha256\" : \"0000"));
        assertRefused(sha, "SHA-256", "FAIL  checksum");
        // only the dump entry's copy edited (restore and drill read that one, verify checks both)
        String one = damagedCopy("030404", d -> d, m -> m.replaceFirst("\"sha256\" : \"[0-9a-f]{4}", "\"sha256\" : \"0000"));
        assertRefused(one, "SHA-256", "FAIL  checksum");
        String rows = damagedCopy("040404", d -> d, m -> m.replaceFirst("(\"name\" : \"Track\",\\s*\"rows\" : )(\\d+)", "$19999"));
        Lifeboat.Result r = restore(env, rows);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("Track") && r.err().contains("9999"), "names the table and both counts: " + r.err());
        Lifeboat.Result d = Lifeboat.run(env, "drill", rows);
        assertEquals(1, d.exit(), d.toString());
        assertTrue(d.err().contains("Track"), d.err());
        Lifeboat.Result v = Lifeboat.run(env, "verify", rows, "--level", "full");
        assertEquals(1, v.exit(), v.toString());
        assertTrue(v.all().contains("Track"), "verify names the table: " + v);
    }

    @Test
    void aMissingManifestMakesTheBackupIncomplete() throws Exception {
        String stem = damagedCopy("050505", d -> d, m -> m);
        bed.s3.client().deleteObject(b -> b.bucket(bucket).key(stem + ".manifest.json"));
        Lifeboat.Result r = restore(env, stem);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("incomplete") && r.err().contains("manifest"), r.err());
        Lifeboat.Result d = Lifeboat.run(env, "drill", stem);
        assertEquals(1, d.exit(), d.toString());
        Lifeboat.Result v = Lifeboat.run(env, "verify", stem);
        assertEquals(1, v.exit(), v.toString());
        assertTrue(v.all().contains("manifest"), v.toString());
        Lifeboat.Result latest = Lifeboat.run(env, "restore", "--latest", "--dry-run");
        assertEquals(0, latest.exit(), latest.toString());
        assertFalse(latest.all().contains(stem), "--latest never picks a backup without manifest: " + latest);
    }

    void assertRefused(String stem, String layer, String verifyLayer) throws Exception {
        Lifeboat.Result r = restore(env, stem);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(layer), "restore names the " + layer + " layer: " + r.err());
        assertOneLine(r);
        Lifeboat.Result d = Lifeboat.run(env, "drill", stem);
        assertEquals(3, d.exit(), d.toString());
        assertTrue(d.err().contains(layer), "drill names the " + layer + " layer: " + d.err());
        // spooled, with loaders already at work when the damage shows: the same refusal, nothing left
        java.nio.file.Path spool = dev.lifeboat.harness.Scratch.dir("faults-spool-");
        Map<String, String> spooled = new java.util.HashMap<>(env);
        spooled.put("BACKUP_SPOOL_DIR", spool.toString());
        Lifeboat.Result s = Lifeboat.run(spooled, "restore", stem, "--confirm=" + LIVE, "--no-safety-backup", "--spool", "--jobs", "2");
        assertEquals(3, s.exit(), s.toString());
        assertTrue(s.err().contains(layer), "restore --spool names the " + layer + " layer: " + s.err());
        assertOneLine(s);
        Lifeboat.Result sd = Lifeboat.run(spooled, "drill", stem, "--spool", "--jobs", "2");
        assertEquals(3, sd.exit(), sd.toString());
        assertTrue(sd.err().contains(layer), "drill --spool names the " + layer + " layer: " + sd.err());
        try (var left = java.nio.file.Files.list(spool)) {
            assertEquals(List.of(), left.toList(), "nothing left in the spool directory");
        }
        Lifeboat.Result v = Lifeboat.run(env, "verify", stem, "--level", "full");
        assertEquals(1, v.exit(), v.toString());
        assertTrue(v.all().contains(verifyLayer), "verify names the layer: " + v);
    }
}
