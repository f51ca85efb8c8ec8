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
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * restore and drill with --jobs: the checked archive is spooled (offsets filled in), restored
 * with pg_restore -j, and the spool file is gone afterwards; not enough space is refused first.
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
        Lifeboat.Result r = Lifeboat.run(env(), "backup");
        assertEquals(0, r.exit(), r.toString());
        try (Stream<Path> files = Files.walk(store)) {
            manifestKey = store.relativize(files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow()).toString();
        }
    }

    @AfterAll
    static void tearDown() {
        PgCluster.deleteTree(store);
        PgCluster.deleteTree(spool);
    }

    static Map<String, String> env() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_DIR", store.toString());
        env.put("BACKUP_ENCRYPTION", "off");
        env.put("BACKUP_SPOOL_DIR", spool.toString());
        return env;
    }

    @Test
    void restoreWithJobsRestoresEveryRowAndRemovesTheSpoolFile() throws Exception {
        Lifeboat.Result r = Lifeboat.run(env(), "restore", "--jobs", "2", "--into", "jobs_restored", manifestKey);
        try {
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("rows: all"), r.out());
            for (String table : new String[] {"rental", "payment", "film_actor", "customer"}) {
                assertEquals(pg.psql(DB, "SELECT count(*) FROM " + table), pg.psql("jobs_restored", "SELECT count(*) FROM " + table), table);
            }
            assertEquals(pg.psql(DB, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"),
                    pg.psql("jobs_restored", "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"));
            assertSpoolEmpty();
        } finally {
            pg.dropDatabase("jobs_restored");
        }
    }

    @Test
    void drillWithJobsPassesAndRemovesTheSpoolFile() throws Exception {
        Lifeboat.Result r = Lifeboat.run(env(), "drill", "--jobs", "2", manifestKey);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("PASSED"), r.out());
        assertSpoolEmpty();
    }

    @Test
    void tooLittleSpaceIsRefusedBeforeAnythingIsWritten() {
        LifeboatException e = assertThrows(LifeboatException.class, () -> DumpRestore.createSpool(spool, Long.MAX_VALUE / 4));
        assertEquals(dev.lifeboat.ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("BACKUP_SPOOL_DIR"), e.getMessage());
        assertSpoolEmpty();
    }

    @Test
    void jobsGoThroughTheSpoolDirectory() throws Exception {
        Map<String, String> env = env();
        env.put("BACKUP_SPOOL_DIR", spool.resolve("missing").toString());
        Lifeboat.Result r = Lifeboat.run(env, "restore", "--jobs", "2", "--into", "jobs_never", manifestKey);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("BACKUP_SPOOL_DIR"), r.err());
        assertEquals("", pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname = 'jobs_never'").trim());
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
