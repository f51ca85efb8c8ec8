package dev.lifeboat.check;

import dev.lifeboat.harness.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat check` against the harness: pagila, a real S3 server (also as the live MinIO bucket), real gpg keys. */
class CheckCommandTest {
    static final String DB = "check_pagila";
    static final String BUCKET = "check-backups";
    static final String PASS = "check-key-pass-31";
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key;
    static GpgHome.Key stranger;
    static Path publicKey;
    static Path secretKey;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, DB, Fixtures.PAGILA);
        s3 = S3Server.shared();
        s3.createBucket(BUCKET);
        s3.createBucket("check-live");
        s3.client().putObject(b -> b.bucket("check-live").key("uploads/a.txt"), RequestBody.fromString("live file"));
        gpg = new GpgHome();
        key = gpg.generateCv25519("Check <check@example.com>", PASS);
        stranger = gpg.generateCv25519("Stranger <stranger@example.com>", null);
        publicKey = gpg.exportPublic(key.fingerprint());
        secretKey = gpg.exportSecret(key.fingerprint(), PASS);
        Lifeboat.Result backup = Lifeboat.run(env(), "backup");
        assertEquals(0, backup.exit(), backup.toString());
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    /** A backup host that also restores and mirrors: every check has something to check. */
    static Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(BUCKET));
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", publicKey.toString());
        env.put("BACKUP_GPG_SECRET_KEY", secretKey.toString());
        env.put("BACKUP_GPG_SECRET_KEY_PASSPHRASE", PASS);
        env.put("MINIO_ENDPOINT", s3.endpoint().toString());
        env.put("MINIO_BUCKET", "check-live");
        env.put("MINIO_ACCESS_KEY", s3.accessKey());
        env.put("MINIO_SECRET_KEY", s3.secretKey());
        env.put("BACKUP_METRICS_FILE", Scratch.dir("check-metrics-").resolve("lifeboat.prom").toString());
        return env;
    }

    static Map<String, String> with(Map<String, String> env, String... pairs) {
        Map<String, String> out = new HashMap<>(env);
        for (int i = 0; i < pairs.length; i += 2) out.put(pairs[i], pairs[i + 1]);
        return out;
    }

    static String line(Lifeboat.Result r, String status, String name) {
        return r.out().lines().filter(l -> l.startsWith(String.format("%-4s %s ", status, name)))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + status + " " + name + "' line:\n" + r));
    }

    /** Exit 1, the FAIL line of {@code name} (returned), and that name in the one-line summary on stderr. */
    static String assertFails(Lifeboat.Result r, String name) {
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("check(s) failed: ") && r.err().contains(name), r.err());
        String l = line(r, "FAIL", name);
        assertTrue(l.contains(" — "), "a FAIL line gives the fix: " + l);
        return l;
    }

    static List<String> checkObjects() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("check/")).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void passesAgainstTheHarnessAndLeavesNothingBehind() throws Exception {
        Map<String, String> env = env();
        Lifeboat.Result r = Lifeboat.run(env, "check");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.out().contains("FAIL"), r.out());
        for (String name : List.of("database", "database-read", "pg-tools", "store", "store-protection", "live-bucket", "encryption",
                "secret-keys", "key-expiry", "retained-backups", "lock-dir", "metrics-file")) {
            line(r, "ok", name);
        }
        line(r, "skip", "trusted-signers");
        assertTrue(line(r, "ok", "database-read").contains("may read all"), r.out());
        assertTrue(line(r, "ok", "live-bucket").contains("uploads/a.txt"), r.out());
        assertTrue(line(r, "ok", "retained-backups").contains("all 1 retained backup(s)"), r.out());
        assertTrue(line(r, "ok", "store-protection").contains("versioning off"), r.out());
        assertEquals(List.of(), checkObjects(), "the test object is removed again");
        assertFalse(Files.exists(Path.of(env.get("BACKUP_METRICS_FILE"))), "the metrics file is not written");
        assertFalse(r.all().contains(s3.secretKey()) || r.all().contains(PASS), "no secret in the output");

        Lifeboat.Result json = Lifeboat.run(env, "check", "--json");
        assertEquals(0, json.exit(), json.toString());
        JsonNode report = Json.mapper().readTree(json.out());
        assertEquals("ok", report.get("status").asText());
        assertEquals(0, report.get("failed").asInt());
        assertEquals("ok", report.get("checks").get(0).get("status").asText());
        assertEquals("database", report.get("checks").get(0).get("name").asText());
    }

    @Test
    void aWrongS3SecretFailsTheStoreCheck() throws Exception {
        Lifeboat.Result r = Lifeboat.run(with(env(), "BACKUP_S3_SECRET_KEY", "not-the-secret-0000"), "check");
        String l = assertFails(r, "store");
        assertTrue(l.contains("access denied") && l.contains("BACKUP_S3_SECRET_KEY"), l);
        line(r, "skip", "retained-backups");
        line(r, "ok", "database");
    }

    @Test
    void aWrongMinioSecretFailsTheLiveBucketCheck() throws Exception {
        String l = assertFails(Lifeboat.run(with(env(), "MINIO_SECRET_KEY", "not-the-minio-secret"), "check"), "live-bucket");
        assertTrue(l.contains("SignatureDoesNotMatch") && l.contains("MINIO_SECRET_KEY"), l);
    }

    @Test
    void aBucketThatDoesNotExistFailsTheStoreCheck() throws Exception {
        String l = assertFails(Lifeboat.run(with(env(), "BACKUP_S3_BUCKET", "no-such-bucket"), "check"), "store");
        assertTrue(l.contains("bucket does not exist"), l);
    }

    @Test
    void aRejectedStorageClassFailsTheStoreCheckNamingTheVariable() throws Exception {
        String l = assertFails(Lifeboat.run(with(env(), "BACKUP_S3_STORAGE_CLASS", "GLACIER_XX"), "check"), "store");
        assertTrue(l.contains("the store rejected BACKUP_S3_STORAGE_CLASS=GLACIER_XX"), l);
        assertEquals(List.of(), checkObjects());
    }

    @Test
    void aRoleThatCannotReadATableFailsWithTheGrant() throws Exception {
        pg.createRole("check_reader", "reader-pw-77");
        pg.execute(DB, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO check_reader; "
                + "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO check_reader; REVOKE SELECT ON public.film FROM check_reader");
        String url = "postgresql://check_reader:reader-pw-77@127.0.0.1:" + pg.port() + "/" + DB;
        Lifeboat.Result r = Lifeboat.run(with(env(), "DATABASE_URL", url), "check");
        String l = assertFails(r, "database-read");
        assertTrue(l.contains("role check_reader cannot read 1 table(s): public.film —"), l);
        assertTrue(l.contains("GRANT SELECT ON ALL TABLES IN SCHEMA public TO check_reader"), l);
        line(r, "ok", "database");
    }

    @Test
    void aRecipientThatIsNotInTheKeyFileFailsTheEncryptionCheck() throws Exception {
        Lifeboat.Result r = Lifeboat.run(with(env(), "BACKUP_GPG_RECIPIENT", stranger.fingerprint()), "check");
        String l = assertFails(r, "encryption");
        assertTrue(l.contains("BACKUP_GPG_RECIPIENT: no key for '" + stranger.fingerprint() + "'"), l);
    }

    @Test
    void aRecipientKeyThatExpiresWithinThirtyDaysFailsWithTheDate() throws Exception {
        Path pass = gpg.passFile("");
        gpg.gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", pass.toString(), "--quick-gen-key",
                "Soon <soon@example.com>", "ed25519", "sign,cert", "10d");
        GpgHome.Key soon = gpg.find("Soon <soon@example.com>");
        gpg.gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", pass.toString(), "--quick-add-key",
                soon.fingerprint(), "cv25519", "encr", "10d");
        Lifeboat.Result r = Lifeboat.run(with(env(), "BACKUP_GPG_RECIPIENT", soon.fingerprint(),
                "BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(soon.fingerprint()).toString()), "check");
        String l = assertFails(r, "key-expiry");
        String date = LocalDate.now(ZoneOffset.UTC).plusDays(10).toString();
        assertTrue(l.contains("recipient " + soon.fingerprint() + " expires " + date), l);
        line(r, "ok", "encryption");
    }
}
