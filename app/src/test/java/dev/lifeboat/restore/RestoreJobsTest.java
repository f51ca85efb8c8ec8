package dev.lifeboat.restore;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * restore and drill with --jobs and --spool. Streamed (the default), the data goes through --jobs
 * pg_restore at once (each table's rows shared out, {@link SplitLoadTest}) and the post-data
 * section through another one from a copy of the table of contents, with --jobs connections; with
 * --spool the archive is spooled as it arrives and whole tables are loaded from it by --jobs
 * pg_restore. Either way every row, index, constraint and trigger is there, and
 * nothing is left in the spool directory; not enough space for a spool is refused first.
 */
class RestoreJobsTest {
    static final String DB = "jobs_pagila";
    static PgCluster pg;
    static Path store;
    static Path spool;
    static String manifestKey;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, DB, Fixtures.PAGILA);
        store = Scratch.dir("lifeboat-jobs-store-");
        spool = Scratch.dir("lifeboat-jobs-spool-");
        manifestKey = Lifeboat.backupToDir(env(), store);
    }

    @AfterAll
    static void tearDown() {
        PgCluster.deleteTree(store);
        PgCluster.deleteTree(spool);
    }

    static Map<String, String> env() throws Exception {
        return Lifeboat.restoreEnv(pg.url(DB), store, spool);
    }

    @Test
    void streamedRestoreWithTwoJobsRestoresEveryRowIndexAndConstraint() throws Exception {
        restoresEverything("--jobs", "2");
    }

    @Test
    void streamedRestoreWithOneJobRestoresEveryRowIndexAndConstraint() throws Exception {
        restoresEverything("--jobs", "1");
    }

    @Test
    void spooledRestoreWithJobsRestoresEveryRowIndexAndConstraint() throws Exception {
        restoresEverything("--spool", "--jobs", "2");
    }

    private void restoresEverything(String... how) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore"));
        args.addAll(List.of(how));
        args.addAll(List.of("--into", "jobs_restored", manifestKey));
        Lifeboat.Result r = Lifeboat.run(env(), args.toArray(String[]::new));
        try {
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("rows: all"), r.out());
            for (String table : new String[] {"rental", "payment", "film_actor", "customer"}) {
                assertEquals(pg.psql(DB, "SELECT count(*) FROM " + table), pg.psql("jobs_restored", "SELECT count(*) FROM " + table), table);
            }
            for (String q : new String[] {"SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'",
                    "SELECT count(*) || ' ' || string_agg(DISTINCT contype::text, '' ORDER BY contype::text) FROM pg_constraint c "
                            + "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'",
                    "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal",
                    "SELECT count(*) FROM pg_views WHERE schemaname = 'public'"}) {
                assertEquals(pg.psql(DB, q), pg.psql("jobs_restored", q), q);
            }
            assertSpoolEmpty();
        } finally {
            pg.dropDatabase("jobs_restored");
        }
    }

    @Test
    void drillStreamedAndSpooledPassesAndLeavesNothingInTheSpoolDirectory() throws Exception {
        for (String[] how : new String[][] {{"--jobs", "2"}, {"--spool", "--jobs", "2"}}) {
            List<String> args = new ArrayList<>(List.of("drill"));
            args.addAll(List.of(how));
            args.add(manifestKey);
            Lifeboat.Result r = Lifeboat.run(env(), args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("PASSED"), r.out());
            assertSpoolEmpty();
        }
    }

    @Test
    void tooLittleSpaceIsRefusedBeforeAnythingIsWritten() {
        LifeboatException e = assertThrows(LifeboatException.class, () -> DumpRestore.createSpool(spool, Long.MAX_VALUE / 4));
        assertEquals(dev.lifeboat.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("BACKUP_SPOOL_DIR"), e.getMessage());
        assertSpoolEmpty();
    }

    @Test
    void bothWaysGoThroughTheSpoolDirectory() throws Exception {
        Map<String, String> env = env();
        env.put("BACKUP_SPOOL_DIR", spool.resolve("missing").toString());
        for (String[] how : new String[][] {{"--jobs", "2"}, {"--spool", "--jobs", "2"}}) {
            List<String> args = new ArrayList<>(List.of("restore"));
            args.addAll(List.of(how));
            args.addAll(List.of("--into", "jobs_never", manifestKey));
            Lifeboat.Result r = Lifeboat.run(env, args.toArray(String[]::new));
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains("BACKUP_SPOOL_DIR"), r.err());
            assertEquals("", pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname = 'jobs_never'").trim());
        }
    }

    @Test
    void aFailingPostDataSectionFailsTheRestoreAndLeavesNothing() throws Exception {
        Map<String, String> env = env();
        env.put("PG_BIN_DIR", dev.lifeboat.harness.PgBinSpy.failingPgRestoreOn(pg.binDir(), "--section=post-data").dir().toString());
        for (String[] how : new String[][] {{"--jobs", "2"}, {"--spool", "--jobs", "2"}}) {
            List<String> args = new ArrayList<>(List.of("restore"));
            args.addAll(List.of(how));
            args.addAll(List.of("--into", "jobs_failed", manifestKey));
            Lifeboat.Result r = Lifeboat.run(env, args.toArray(String[]::new));
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("pg_restore") && r.err().contains("injected failure"), r.err());
            assertEquals("", pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname = 'jobs_failed'").trim());
            assertSpoolEmpty();
        }
    }

    @Test
    void badJobsCountIsAConfigError() throws Exception {
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--jobs", "0", "--into", "never_made", manifestKey);
        assertEquals(2, r.exit(), r.toString());
    }

    private static void assertSpoolEmpty() {
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "spool files left in " + spool);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
