package dev.lifeboat.restore;

import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.Scratch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streamed restore with --jobs N shares each table's rows out over N pg_restore: the restored
 * tables hold exactly the source's rows (escapes, rows longer than a loader's buffer, empty
 * tables), large objects, sequence values and privileges arrive once, the big table's rows were written by
 * more than one loader (their transactions differ) and with --jobs 1 by one. A loader failing in
 * the middle of its stream, or the pre-data section failing, fails the restore in pg_restore's
 * words; a damaged object is reported as damage; either way every pg_restore is stopped and
 * nothing is left behind.
 */
class SplitLoadTest {
    static final String DB = "split_source";
    static final String[] TABLES = {"big", "wide", "empty_one", "keyed"};
    static PgCluster pg;
    static Path store;
    static Path spool;
    static String manifestKey;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        pg.dropDatabase(DB);
        pg.createDatabase(DB);
        pg.execute(DB, """
                CREATE TABLE big (id int, label text, payload bytea);
                INSERT INTO big SELECT g, 'row ' || g || E'\\ttab\\\\back\\nnewline \\u00e9', decode(md5(g::text), 'hex')
                  FROM generate_series(1, 150000) g;
                CREATE TABLE wide (id int, body text);
                INSERT INTO wide VALUES (1, repeat('x', 3000000)), (2, 'short'), (3, repeat('y', 2500000) || E'\\n');
                CREATE TABLE empty_one (id int);
                CREATE TABLE keyed (id int PRIMARY KEY, v text);
                INSERT INTO keyed SELECT g, 'v' || g FROM generate_series(1, 5000) g;
                CREATE SEQUENCE counter;
                SELECT setval('counter', 4242);
                SELECT lo_from_bytea(0, decode(repeat('ab', 300000), 'hex'));
                SELECT lo_from_bytea(0, decode(repeat('0123456789abcdef', 320000), 'hex'));
                SELECT lo_from_bytea(0, 'small');
                DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'split_reader') THEN CREATE ROLE split_reader; END IF; END $$;
                GRANT SELECT ON big TO split_reader;
                GRANT UPDATE (v) ON keyed TO split_reader;
                """);
        store = Scratch.dir("lifeboat-split-store-");
        spool = Scratch.dir("lifeboat-split-spool-");
        manifestKey = Lifeboat.backupToDir(env(), store);
    }

    @AfterAll
    static void tearDown() throws Exception {
        pg.dropDatabase(DB);
        PgCluster.deleteTree(store);
        PgCluster.deleteTree(spool);
    }

    static Map<String, String> env() throws Exception {
        return Lifeboat.restoreEnv(pg.url(DB), store, spool);
    }

    @Test
    void twoLoadersRestoreExactlyTheSourceAndBothLoadTheBigTable() throws Exception {
        assertTrue(restoreAndCompare(2) >= 2, "the big table's rows came from one loader");
    }

    @Test
    void threeLoadersRestoreExactlyTheSource() throws Exception {
        assertTrue(restoreAndCompare(3) >= 2, "the big table's rows came from one loader");
    }

    @Test
    void oneJobLoadsThroughOnePgRestore() throws Exception {
        assertEquals(1, restoreAndCompare(1));
    }

    @Test
    void spooledLoadersRestoreExactlyTheSourceWholeTablesEach() throws Exception {
        assertEquals(1, restoreAndCompare(2, "--spool"));
    }

    /**
     * Every pg_restore that may load rows names itself {@link RestoreSession#LOADING} and the
     * post-data run does not: the row check trusts the server's insert counts only once no
     * session of that name is left. The report says how each table was checked.
     */
    @Test
    void everyRunThatLoadsRowsNamesItselfSoTheRowCheckCanWaitForItsCounts() throws Exception {
        PgBinSpy bin = PgBinSpy.recording(pg.binDir());
        Map<String, String> env = env();
        env.put("PG_BIN_DIR", bin.dir().toString());
        Lifeboat.Result r = Lifeboat.run(env, "restore", "--jobs", "2", "--into", "split_named", manifestKey);
        try {
            assertEquals(0, r.exit(), r.toString());
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("rows: all (\\d+) tables have exactly the manifest's row counts \\((\\d+) counted, (\\d+) by the server's count")
                    .matcher(r.out());
            assertTrue(m.find(), r.out());
            assertEquals(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)), r.out());
            int loading = 0;
            for (long pid : bin.pids("pg_restore")) {
                boolean postData = bin.given("pg_restore", pid, "argv").contains("--section=post-data");
                String name = postData ? RestoreSession.POST_DATA : RestoreSession.LOADING;
                assertTrue(bin.given("pg_restore", pid, "env").contains("PGAPPNAME=" + name), "pg_restore " + pid);
                if (!postData) loading++;
            }
            assertTrue(loading >= 3, "pre-data, two loaders and the privileges: " + loading);
        } finally {
            pg.dropDatabase("split_named");
        }
    }

    /** Restores with --jobs {@code jobs}, compares everything with the source; returns how many transactions wrote the big table. */
    private long restoreAndCompare(int jobs, String... more) throws Exception {
        String into = "split_restored_" + jobs + (more.length > 0 ? "_spooled" : "");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("restore", "--jobs", Integer.toString(jobs)));
        args.addAll(java.util.List.of(more));
        args.addAll(java.util.List.of("--into", into, manifestKey));
        Lifeboat.Result r = Lifeboat.run(env(), args.toArray(String[]::new));
        try {
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("rows: all"), r.out());
            for (String t : TABLES) {
                String q = "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM " + t + " t";
                assertEquals(pg.psql(DB, q), pg.psql(into, q), t);
            }
            String objects = "SELECT string_agg(oid::text || ':' || md5(lo_get(oid)), ',' ORDER BY oid) FROM pg_largeobject_metadata";
            assertEquals(pg.psql(DB, objects), pg.psql(into, objects));
            assertEquals(pg.psql(DB, "SELECT last_value || ' ' || is_called FROM counter"),
                    pg.psql(into, "SELECT last_value || ' ' || is_called FROM counter"));
            assertEquals("t", pg.psql(into, "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'keyed_pkey')").trim());
            String privileges = "SELECT string_agg(relname || ' ' || coalesce(relacl::text, '-'), ', ' ORDER BY relname) FROM pg_class "
                    + "WHERE relname IN ('big', 'keyed')";
            assertEquals(pg.psql(DB, privileges), pg.psql(into, privileges));
            String columns = "SELECT string_agg(attname || ' ' || attacl::text, ', ') FROM pg_attribute WHERE attrelid = 'keyed'::regclass AND attacl IS NOT NULL";
            assertEquals(pg.psql(DB, columns), pg.psql(into, columns));
            assertSpoolEmpty();
            return Long.parseLong(pg.psql(into, "SELECT count(DISTINCT xmin::text) FROM big").trim());
        } finally {
            pg.dropDatabase(into);
        }
    }

    @Test
    void aLoaderFailingInTheMiddleOfItsStreamFailsTheRestoreAndLeavesNothing() throws Exception {
        // the second loader (the one with a use-list) stops after 200 kB of its stream
        failsInPgRestoresWords(PgBinSpy.failingPgRestoreAfter(pg.binDir(), "--use-list=", 200_000));
    }

    @Test
    void aFailingPreDataSectionFailsTheRestoreBeforeAnyLoaderStarts() throws Exception {
        PgBinSpy bin = PgBinSpy.failingPgRestoreOn(pg.binDir(), "--section=pre-data");
        failsInPgRestoresWords(bin);
        assertEquals(1, bin.pids("pg_restore").size(), "only the pre-data pg_restore ran");
    }

    private void failsInPgRestoresWords(PgBinSpy bin) throws Exception {
        Map<String, String> env = env();
        env.put("PG_BIN_DIR", bin.dir().toString());
        Lifeboat.Result r = Lifeboat.run(env, "restore", "--jobs", "2", "--into", "split_failed", manifestKey);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("pg_restore failed") && r.err().contains("injected failure"), r.err());
        assertTrue(!r.err().contains("damaged"), r.err());
        assertNothingLeft(bin, "split_failed");
    }

    /**
     * A manifest that says one row fewer than the big table has: the server's insert count no
     * longer matches it, so the table is counted, and the restore fails naming both counts.
     */
    @Test
    void aRowCountThatDiffersFromTheManifestFailsTheRestoreAndLeavesNothing() throws Exception {
        Path copy = copyOfStore("lifeboat-split-rows-");
        try {
            Path manifest = fileIn(copy, ".manifest.json");
            String json = Files.readString(manifest);
            String altered = json.replaceFirst("(\"name\" : \"big\",\\s*\"rows\" : )150000", "$1149999");
            assertTrue(!altered.equals(json), "the manifest was altered");
            Files.writeString(manifest, altered);
            PgBinSpy bin = PgBinSpy.recording(pg.binDir());
            Lifeboat.Result r = restoreFrom(copy, bin, "split_rows");
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("table public.big: backup has 149999 rows, restored has 150000 rows"), r.err());
            assertNothingLeft(bin, "split_rows");
        } finally {
            PgCluster.deleteTree(copy);
        }
    }

    private static Path copyOfStore(String prefix) throws Exception {
        Path copy = Scratch.dir(prefix);
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(store.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
        return copy;
    }

    /** The first file under {@code dir} whose name contains {@code part}. */
    private static Path fileIn(Path dir, String part) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(part)).findFirst().orElseThrow();
        }
    }

    /** {@code restore --jobs 2 --into into} of the backup from the store copy {@code copy}, through {@code bin}. */
    private static Lifeboat.Result restoreFrom(Path copy, PgBinSpy bin, String into) throws Exception {
        Map<String, String> env = env();
        env.put("BACKUP_DIR", copy.toString());
        env.put("PG_BIN_DIR", bin.dir().toString());
        return Lifeboat.run(env, "restore", "--jobs", "2", "--into", into, manifestKey);
    }

    @Test
    void aDamagedObjectStopsEveryLoaderAndIsReportedAsDamage() throws Exception {
        Path copy = copyOfStore("lifeboat-split-damaged-");
        try {
            Path dump = fileIn(copy, ".dump");
            byte[] bytes = Files.readAllBytes(dump);
            bytes[bytes.length * 2 / 3] ^= 0x5a; // well inside the big table's rows
            Files.write(dump, bytes);
            PgBinSpy bin = PgBinSpy.recording(pg.binDir());
            Lifeboat.Result r = restoreFrom(copy, bin, "split_damaged");
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("damaged") && !r.err().contains("pg_restore failed"), r.err());
            assertNothingLeft(bin, "split_damaged");
        } finally {
            PgCluster.deleteTree(copy);
        }
    }

    /** No database {@code db}, no pg_restore still running, nothing in the spool directory. */
    private static void assertNothingLeft(PgBinSpy bin, String db) throws Exception {
        assertEquals("", pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname = '" + db + "'").trim());
        for (long pid : bin.pids("pg_restore")) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "pg_restore " + pid + " still runs");
        }
        assertSpoolEmpty();
    }

    private static void assertSpoolEmpty() {
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "files left in " + spool);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
