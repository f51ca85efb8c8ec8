package dev.lifeboat.backup;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup that fails exits 3 with a clear line and leaves nothing behind: no object, no
 * manifest, no unfinished multipart upload.
 */
class BackupFailureTest {
    static final String DB = "pagila_failures";
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key;
    static int n;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, DB, Fixtures.PAGILA);
        s3 = S3Server.start();
        gpg = new GpgHome();
        key = gpg.generateCv25519("Failures <failures@example.com>", null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        s3.close();
        gpg.close();
    }

    Map<String, String> env(String bucket) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
        return env;
    }

    String bucket() {
        String b = "failure-" + (++n);
        s3.createBucket(b);
        return b;
    }

    void assertNothingLeft(String bucket) {
        List<String> objects = s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        assertEquals(List.of(), objects, "objects left in " + bucket);
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "unfinished multipart uploads");
    }

    @Test
    void unreachableDatabaseExits3AndWritesNothing() throws Exception {
        String bucket = bucket();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = env(bucket);
        env.put("DATABASE_URL", "postgresql://postgres:pw@127.0.0.1:" + closedPort + "/" + DB);
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("cannot connect to postgresql://postgres@127.0.0.1:" + closedPort), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertNothingLeft(bucket);
    }

    @Test
    void pgDumpKilledAfterItsTableOfContentsLeavesNoObject() throws Exception {
        String bucket = bucket();
        PgBinSpy bin = PgBinSpy.killingPgDumpAfter(pg.binDir(), 400_000);
        Map<String, String> env = env(bucket);
        env.put("PG_BIN_DIR", bin.dir().toString());
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("pg_dump failed"), r.err());
        assertNothingLeft(bucket);
    }

    @Test
    void multipartUploadThatKeepsFailingIsAbortedAndExits3() throws Exception {
        String bucket = bucket();
        pg.createDatabase("bigger_than_a_part");
        pg.execute("bigger_than_a_part", "CREATE TABLE noise AS SELECT g, md5(g::text) || md5((g * 7)::text) AS t "
                + "FROM generate_series(1, 250000) g");
        FaultyProxy proxy = s3.proxy();
        proxy.failWhere(req -> req.method().equals("PUT") && req.query().contains("partNumber"), 1000, 500);
        try {
            Map<String, String> env = env(bucket);
            env.put("DATABASE_URL", pg.url("bigger_than_a_part"));
            env.put("BACKUP_COMPRESSION", "none");
            Lifeboat.Result r = Lifeboat.run(env, "backup");
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains(bucket), "names the store: " + r.err());
            assertTrue(proxy.requests().stream().anyMatch(q -> q.method().equals("DELETE") && q.query().contains("uploadId")),
                    "the multipart upload was aborted");
        } finally {
            proxy.failWhere(req -> false, 0, 500);
        }
        assertNothingLeft(bucket);
    }

    @Test
    void uploadThatKeepsFailingExits3() throws Exception {
        String bucket = bucket();
        FaultyProxy proxy = s3.proxy();
        proxy.failWhere(req -> req.method().equals("PUT") && req.path().startsWith("/" + bucket + "/pg/"), 1000, 503);
        try {
            Map<String, String> env = env(bucket);
            Lifeboat.Result r = Lifeboat.run(env, "backup");
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains(bucket), "names the store: " + r.err());
        } finally {
            proxy.failWhere(req -> false, 0, 500);
        }
        assertNothingLeft(bucket);
    }

    @Test
    void aSecondBackupInTheSameSecondIsRefusedAndTheFirstStaysAsItWas() throws Exception {
        String bucket = bucket();
        Map<String, String> env = env(bucket);
        java.time.Clock sameSecond = java.time.Clock.fixed(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                java.time.ZoneOffset.UTC);
        Lifeboat.Result first = Lifeboat.runAt(sameSecond, env, "backup");
        assertEquals(0, first.exit(), first.toString());
        Map<String, String> before = objects(bucket);
        assertEquals(3, before.size(), "dump, globals, manifest: " + before);
        Lifeboat.Result second = Lifeboat.runAt(sameSecond, env, "backup");
        assertEquals(3, second.exit(), second.toString());
        // checked by name before the stream starts (the upload's own refusal is the second line of defence)
        assertTrue(second.err().contains("a backup named pg/") && second.err().contains(" already exists; not overwriting it"),
                second.err());
        assertEquals(1, second.err().strip().lines().count(), "one line: " + second.err());
        assertEquals(before, objects(bucket), "the first backup's objects, unchanged");
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "unfinished multipart uploads");
    }

    /** Every object's key and ETag. */
    Map<String, String> objects(String bucket) {
        Map<String, String> m = new java.util.TreeMap<>();
        s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> m.put(o.key(), o.eTag()));
        return m;
    }

    @Test
    void aBackupAfterAFailedOneSucceeds() throws Exception {
        String bucket = bucket();
        PgBinSpy bin = PgBinSpy.killingPgDumpAfter(pg.binDir(), 200_000);
        Map<String, String> env = env(bucket);
        env.put("PG_BIN_DIR", bin.dir().toString());
        assertEquals(3, Lifeboat.run(env, "backup").exit());
        env.remove("PG_BIN_DIR");
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void aRoleThatMayNotReadRolePasswordsGetsTheGlobalsWithoutThem() throws Exception {
        String bucket = bucket();
        // reads every table of the database, but not pg_authid: pg_dumpall --globals-only is refused
        pg.createRole("lifeboat_reader", "reader-7731");
        pg.execute(DB, "GRANT USAGE ON SCHEMA public TO lifeboat_reader");
        pg.execute(DB, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO lifeboat_reader");
        pg.execute(DB, "GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO lifeboat_reader");
        Map<String, String> env = env(bucket);
        env.put("DATABASE_URL", "postgresql://lifeboat_reader:reader-7731@127.0.0.1:" + pg.port() + "/" + DB);
        Lifeboat.Result r = Lifeboat.spawn(env, "backup"); // a child JVM: its log is its stderr
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.all().contains("pg_dumpall may not read role passwords as lifeboat_reader; storing the globals without them"),
                r.toString());
        Map<String, String> objects = objects(bucket);
        assertEquals(3, objects.size(), "dump, globals, manifest: " + objects);
        assertTrue(objects.keySet().stream().anyMatch(k -> k.endsWith(".globals.sql.gz.gpg")), objects.toString());
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "unfinished multipart uploads");
    }

    @Test
    void passwordAndSecretsReachNoArgvLogOrManifest() throws Exception {
        String bucket = bucket();
        String dbPassword = "db-Secret-7731";
        pg.createRole("lifeboat_backup", dbPassword, "SUPERUSER");
        PgBinSpy bin = PgBinSpy.recording(pg.binDir());
        Map<String, String> env = env(bucket);
        env.put("DATABASE_URL", "postgresql://lifeboat_backup:" + dbPassword + "@127.0.0.1:" + pg.port() + "/" + DB);
        env.put("PG_BIN_DIR", bin.dir().toString());
        env.remove("BACKUP_GPG_RECIPIENT");
        env.remove("BACKUP_GPG_PUBLIC_KEY");
        env.put("BACKUP_GPG_PASSPHRASE", "pass-Secret-4419");
        Lifeboat.Result r = Lifeboat.spawn(env, "--debug", "backup", "--json");
        assertEquals(0, r.exit(), r.toString());
        String s3Secret = s3.secretKey();
        for (String secret : List.of(dbPassword, "pass-Secret-4419", s3Secret)) {
            assertFalse(r.all().contains(secret), "secret in output/log: " + secret);
        }
        for (String program : List.of("pg_dump", "pg_dumpall")) {
            List<String> argvs = bin.calls(program, "argv");
            assertFalse(argvs.isEmpty(), program + " was called");
            for (String argv : argvs) assertFalse(argv.contains(dbPassword), program + " argv: " + argv);
            for (String childEnv : bin.calls(program, "env")) {
                assertTrue(childEnv.contains("PGPASSWORD=" + dbPassword), "the one password pg_dump needs");
                assertFalse(childEnv.contains("pass-Secret-4419"), program + " inherited the passphrase");
                assertFalse(childEnv.contains(s3Secret), program + " inherited the S3 secret");
                assertFalse(childEnv.contains("BACKUP_"), program + " inherited lifeboat's settings");
            }
        }
        String manifestKey = s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .filter(k -> k.endsWith(".manifest.json")).findFirst().orElseThrow();
        String manifest = new String(s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(manifestKey)).asByteArray());
        for (String secret : List.of(dbPassword, "pass-Secret-4419", s3Secret)) assertFalse(manifest.contains(secret));
    }

    @Test
    void badInputExits2WithOneLineNamingItAndWritesNothing() throws Exception {
        String bucket = bucket();
        Path dir = Scratch.dir("untouched-");
        record Case(String var, String value, String expected) {}
        List<Case> cases = List.of(
                new Case("DATABASE_URL", null, "DATABASE_URL is not set"),
                new Case("DATABASE_URL", "mysql://root@db/app", "DATABASE_URL is not a postgresql:// URL"),
                new Case("DATABASE_URL", "postgresql://u@host:99999/app", "DATABASE_URL has a malformed port"),
                new Case("BACKUP_S3_BUCKET", null, "BACKUP_S3_BUCKET"),
                new Case("BACKUP_GPG_RECIPIENT", "nobody@example.com", "nobody@example.com"),
                new Case("BACKUP_GPG_PUBLIC_KEY", "/nonexistent/key.asc", "/nonexistent/key.asc"),
                new Case("BACKUP_COMPRESSION", "lzma", "BACKUP_COMPRESSION"),
                new Case("BACKUP_COMPRESSION_LEVEL", "99", "BACKUP_COMPRESSION_LEVEL"),
                new Case("BACKUP_TIMEOUT", "5m", "BACKUP_TIMEOUT"),
                new Case("BACKUP_ENCRYPTION", "maybe", "BACKUP_ENCRYPTION"),
                new Case("BACKUP_S3_ENDPOINT", "not a url", "BACKUP_S3_ENDPOINT"),
                new Case("BACKUP_S3_SECRET_KEY", "wrong-secret", "BACKUP_S3_SECRET_KEY"),
                new Case("BACKUP_S3_BUCKET", "no-such-bucket", "bucket does not exist"));
        for (Case c : cases) {
            Map<String, String> env = env(bucket);
            if (c.var().equals("BACKUP_S3_BUCKET") && c.value() == null) {
                env.keySet().removeIf(k -> k.startsWith("BACKUP_S3_"));
            } else if (c.value() == null) {
                env.remove(c.var());
            } else {
                env.put(c.var(), c.value());
            }
            Lifeboat.Result r = Lifeboat.run(env, "backup");
            assertEquals(2, r.exit(), c + ": " + r);
            assertEquals(1, r.err().strip().lines().count(), c + " one line: " + r.err());
            assertTrue(r.err().contains(c.expected()), c + ": " + r.err());
            assertNothingLeft(bucket);
        }
        Map<String, String> env = env(bucket);
        env.remove("BACKUP_GPG_RECIPIENT");
        env.remove("BACKUP_GPG_PUBLIC_KEY");
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("BACKUP_ENCRYPTION=auto"), r.err());
        assertNothingLeft(bucket);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
