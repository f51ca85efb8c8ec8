package dev.lifeboat.restore;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.harness.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A restore's row check ({@link Comparison#rowsOrInserts}) settles a table without a scan only
 * when the server's statistics show exactly the manifest's rows inserted, every one live, and no
 * loading session is still connected. Everything else is counted, so a table that lost rows after
 * they were inserted, rows inserted with the statistics off, and a loader whose counts may not be
 * in yet are all still found.
 */
class InsertCountsTest {
    static final String DB = "insert_counts";
    static PgCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        assumeTrue(Long.parseLong(pg.psql("postgres", "SHOW server_version_num").trim()) >= 150000,
                "the statistics are trusted from PostgreSQL 15 on");
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        pg.dropDatabase(DB);
        pg.createDatabase(DB);
    }

    @AfterAll
    static void tearDown() throws Exception {
        pg.dropDatabase(DB);
    }

    /** Runs {@code statements} in one session and makes that session report its counts before it returns. */
    private static void load(String... statements) throws Exception {
        try (Connection c = pg.jdbc(DB); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
            s.execute("SELECT pg_stat_force_next_flush()");
        }
    }

    private static Manifest manifest(long rows) {
        return new Manifest(Manifest.FORMAT, "database", "test", null, null, null, null, null, null, 0, null, DB,
                null, null, null, null, null, null, null, null, null, 0, 0, null, 0, "copy-stream",
                List.of(new Manifest.TableEntry("public", "t", rows)), List.of(), null, null);
    }

    private static Comparison.Rows check(long rows) throws Exception {
        try (Connection c = pg.jdbc(DB)) {
            return Comparison.rowsOrInserts(c, manifest(rows));
        }
    }

    @Test
    void rowsTheServerCountedInSettleTheTableWithoutAScan() throws Exception {
        load("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000)");
        Comparison.Rows rows = check(1000);
        assertEquals(List.of(), rows.differences());
        assertEquals(1, rows.settledByInserts());
        assertEquals(0, rows.counted());
    }

    @Test
    void aTableThatLostRowsAfterTheyWereInsertedIsCounted() throws Exception {
        assertCounted(1000, 990, "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 1000)", "DELETE FROM t WHERE id <= 10");
    }

    @Test
    void rowsInsertedAndRolledBackAreCounted() throws Exception {
        assertCounted(1000, 0, "CREATE TABLE t (id int)", "BEGIN", "INSERT INTO t SELECT generate_series(1, 1000)", "ROLLBACK");
    }

    @Test
    void aTableTheBackupHasEmptyIsAlwaysCounted() throws Exception {
        assertCounted(0, 5, "CREATE TABLE t (id int)", "SET track_counts = off", "INSERT INTO t SELECT generate_series(1, 5)");
    }

    /** After {@code statements}, a manifest of {@code manifestRows} rows: the table is counted, and has {@code actualRows}. */
    private static void assertCounted(long manifestRows, long actualRows, String... statements) throws Exception {
        load(statements);
        Comparison.Rows rows = check(manifestRows);
        assertEquals(1, rows.counted());
        assertEquals("table public.t: backup has " + manifestRows + " rows, restored has " + actualRows + " rows",
                rows.differences().get(0).toString());
    }

    @Test
    void whileALoaderIsStillConnectedEveryTableIsCounted() throws Exception {
        load("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000)");
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", pg.password());
        p.setProperty("ApplicationName", RestoreSession.LOADING);
        try (Connection loader = DriverManager.getConnection(pg.jdbcUrl(DB), p)) {
            Comparison.Rows rows = check(1000);
            assertEquals(List.of(), rows.differences());
            assertEquals(1, rows.counted());
            assertEquals(0, rows.settledByInserts());
            long pid = Long.parseLong(pg.psql(DB, "SELECT pid FROM pg_stat_activity WHERE application_name = '"
                    + RestoreSession.LOADING + "'").trim());
            // returns once the backend has exited, so the check below does not race its exit
            assertEquals("t", pg.psql("postgres", "SELECT pg_terminate_backend(" + pid + ", 10000)").trim());
        }
        assertEquals(1, check(1000).settledByInserts(), "once the loader has gone, its counts are trusted");
    }
}
