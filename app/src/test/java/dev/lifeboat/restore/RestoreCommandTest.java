package dev.lifeboat.restore;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat restore` end to end: real PostgreSQL (pagila), real S3, real gpg keys. */
class RestoreCommandTest {
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key;
    static Map<String, String> keyEnv = new HashMap<>();
    static int n;
    String db;
    String bucket;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        s3 = S3Server.shared();
        gpg = new GpgHome();
        key = gpg.generateRsa("Restore <restore@example.com>", "secret-pass-99");
        keyEnv.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        keyEnv.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
        keyEnv.put("BACKUP_GPG_SECRET_KEY", gpg.exportSecret(key.fingerprint(), "secret-pass-99").toString());
        keyEnv.put("BACKUP_GPG_SECRET_KEY_PASSPHRASE", "secret-pass-99");
        try {
            pg.createRole("film_owner", null, "NOLOGIN");
        } catch (java.sql.SQLException exists) {
            // shared cluster: made by an earlier class
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    @BeforeEach
    void freshDatabaseAndBucket() throws Exception {
        n++;
        db = "pagila_restore_" + n;
        bucket = "restore-" + n;
        Fixtures.load(pg, db, Fixtures.PAGILA);
        pg.execute(db, "ALTER TABLE public.film OWNER TO film_owner");
        s3.createBucket(bucket);
    }

    Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.putAll(keyEnv);
        env.put("DATABASE_URL", pg.url(db));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        return env;
    }

    void backup() throws Exception {
        Lifeboat.Result r = Lifeboat.run(env(), "backup");
        assertEquals(0, r.exit(), r.toString());
    }

    /** Every table's row count, the whole database's content as far as a restore test needs it. */
    Map<String, Long> contents(String database) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = pg.jdbc(database);
             ResultSet rs = c.createStatement().executeQuery("SELECT n.nspname || '.' || c.relname FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema')")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) tables.add(rs.getString(1));
            for (String t : tables) {
                String[] p = t.split("\\.", 2);
                try (ResultSet cnt = c.createStatement().executeQuery("SELECT count(*) FROM ONLY \"" + p[0] + "\".\"" + p[1] + "\"")) {
                    cnt.next();
                    out.put(t, cnt.getLong(1));
                }
            }
        }
        return out;
    }

    List<String> databases(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.jdbc("postgres");
             ResultSet rs = c.createStatement().executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    List<String> keys() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    String owner(String database, String table) throws Exception {
        try (Connection c = pg.jdbc(database);
             ResultSet rs = c.createStatement().executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = '" + table + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void restoreLatestBringsBackTheBackupKeepsOwnersAndTheOldDatabase() throws Exception {
        backup();
        Map<String, Long> atBackup = contents(db);
        pg.execute(db, "DELETE FROM public.payment_p2022_02; DROP TABLE public.film_category CASCADE");
        assertNotEquals(atBackup, contents(db));

        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--latest", "--confirm=" + db);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(atBackup, contents(db), "the restored database holds exactly the backup");
        assertEquals("film_owner", owner(db, "film"), "owners are kept");
        List<String> pre = databases(db + "_pre_restore_");
        assertEquals(1, pre.size(), pre.toString());
        assertFalse(contents(pre.get(0)).containsKey("public.film_category"), "the old database is kept as it was");
        assertTrue(keys().stream().anyMatch(k -> k.contains("-pre-restore.manifest.json")), "a safety backup: " + keys());
        assertTrue(r.out().contains("to roll back:"), r.out());
        assertEquals(List.of(), databases(db + "_restoring_"), "no side database left");
    }

    @Test
    void refusesWithoutConfirmationOffATerminalOrWithTheWrongName() throws Exception {
        backup();
        Map<String, Long> before = contents(db);
        Lifeboat.Result none = Lifeboat.run(env(), "restore", "--latest");
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("--confirm=" + db), none.err());
        Lifeboat.Result wrong = Lifeboat.run(env(), "restore", "--latest", "--confirm=other");
        assertEquals(2, wrong.exit(), wrong.toString());
        Map<String, String> prod = env();
        prod.put("BACKUP_ENVIRONMENT", "production");
        Lifeboat.Result inProd = Lifeboat.run(prod, "restore", "--latest", "--confirm=" + db);
        assertEquals(2, inProd.exit(), inProd.toString());
        assertTrue(inProd.err().contains("CONFIRM_RESTORE_IN_PROD=true"), inProd.err());
        assertEquals(before, contents(db));
        assertEquals(List.of(), databases(db + "_pre_restore_"));
    }

    @Test
    void aPgRestoreFailureLeavesTheLiveDatabaseUntouchedAndNoSideDatabase() throws Exception {
        pg.createRole("doomed_owner_" + n, null, "NOLOGIN");
        pg.execute(db, "ALTER TABLE public.actor OWNER TO doomed_owner_" + n);
        backup();
        pg.execute(db, "ALTER TABLE public.actor OWNER TO postgres; DELETE FROM public.payment_p2022_03");
        pg.execute("postgres", "DROP ROLE doomed_owner_" + n);
        Map<String, Long> before = contents(db);
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--latest", "--confirm=" + db, "--no-safety-backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("pg_restore failed") && r.err().contains("doomed_owner"), r.err());
        assertEquals(before, contents(db));
        assertEquals(List.of(), databases(db + "_restoring_"));
        assertEquals(List.of(), databases(db + "_pre_restore_"));
    }

    @Test
    void aChecksumMismatchFoundAfterTheStreamLeavesTheLiveDatabaseUntouched() throws Exception {
        backup();
        String manifestKey = keys().stream().filter(k -> k.endsWith(".manifest.json")).findFirst().orElseThrow();
        String json = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(manifestKey)).asUtf8String();
        Manifest m = Manifest.parse(manifestKey, json.getBytes());
        String altered = json.replace(m.dump().sha256(), "0".repeat(64));
        replace(manifestKey, altered.getBytes());
        pg.execute(db, "DELETE FROM public.payment_p2022_04");
        Map<String, Long> before = contents(db);
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--latest", "--confirm=" + db, "--no-safety-backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("SHA-256"), r.err());
        assertEquals(before, contents(db));
        assertEquals(List.of(), databases(db + "_restoring_"));
    }

    @Test
    void anOpenPgpIntegrityFailureAtTheEndOfTheStreamLeavesTheLiveDatabaseUntouched() throws Exception {
        backup();
        String dumpKey = keys().stream().filter(k -> k.contains(".dump.")).findFirst().orElseThrow();
        byte[] object = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(dumpKey)).asByteArray();
        object[object.length - 3] ^= 0x01;
        replace(dumpKey, object);
        pg.execute(db, "DELETE FROM public.payment_p2022_05");
        Map<String, Long> before = contents(db);
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--latest", "--confirm=" + db, "--no-safety-backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("integrity"), r.err());
        assertEquals(before, contents(db));
        assertEquals(List.of(), databases(db + "_restoring_"));
    }

    @Test
    void tableRestoresOneTableIntoANewSchemaAndChangesNothingElse() throws Exception {
        backup();
        pg.execute(db, "DELETE FROM public.payment_p2022_06; DELETE FROM public.film_actor WHERE actor_id < 50");
        Map<String, Long> before = contents(db);
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--latest", "--confirm=" + db, "--table", "payment");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Long> after = contents(db);
        String schema = after.keySet().stream().filter(k -> k.startsWith("restore_")).findFirst().orElseThrow().split("\\.")[0];
        Map<String, Long> liveAfter = new TreeMap<>(after);
        liveAfter.keySet().removeIf(k -> k.startsWith(schema + "."));
        assertEquals(before, liveAfter, "live tables untouched");
        assertEquals(List.of(schema + ".payment"), after.keySet().stream().filter(k -> k.startsWith(schema + ".")).toList());
        try (Connection c = pg.jdbc(db); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + schema + ".payment")) {
            rs.next();
            assertEquals(16049, rs.getLong(1), "all of payment's rows, partitions included");
        }
        assertEquals(List.of(), databases(db + "_restoring_"));
    }

    @Test
    void intoMakesANewDatabaseAndDryRunChangesNothing() throws Exception {
        backup();
        Map<String, Long> before = contents(db);
        Lifeboat.Result dry = Lifeboat.run(env(), "restore", "--latest", "--dry-run");
        assertEquals(0, dry.exit(), dry.toString());
        assertTrue(dry.out().contains("swap"), dry.out());
        assertEquals(List.of(), databases(db + "_"));
        Lifeboat.Result into = Lifeboat.run(env(), "restore", "--latest", "--into", db + "_forensics");
        assertEquals(0, into.exit(), into.toString());
        assertEquals(before, contents(db + "_forensics"));
        assertEquals(before, contents(db));
        pg.dropDatabase(db + "_forensics");
    }

    @Test
    void withGlobalsCreatesTheMissingOwnerRoleFirst() throws Exception {
        String role = "globals_owner_" + n;
        pg.createRole(role, null, "NOLOGIN");
        pg.execute(db, "ALTER TABLE public.language OWNER TO " + role);
        backup();
        pg.execute(db, "ALTER TABLE public.language OWNER TO postgres");
        pg.execute("postgres", "DROP ROLE " + role);
        Lifeboat.Result without = Lifeboat.run(env(), "restore", "--latest", "--into", db + "_noglobals");
        assertEquals(3, without.exit(), "the owner is missing: " + without);
        assertEquals(List.of(), databases(db + "_noglobals"), "the failed database is dropped");
        Lifeboat.Result with = Lifeboat.run(env(), "restore", "--latest", "--into", db + "_globals", "--with-globals");
        assertEquals(0, with.exit(), with.toString());
        assertEquals(role, owner(db + "_globals", "language"), "the role came back from the globals, and owns its table");
        pg.dropDatabase(db + "_globals");
    }

    void replace(String key, byte[] bytes) {
        s3.client().deleteObject(b -> b.bucket(bucket).key(key));
        s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }
}
