package dev.lifeboat.faults;

import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restore stopped from outside or facing clients: whatever happens, the live database is
 * either the old one or the new one, never missing, and it accepts connections afterwards.
 */
class RestoreFaultsTest {
    static final String LIVE = "faults_restore_live";
    static FaultBed bed;
    static String bucket;
    static Map<String, String> env;
    static String stem;
    static String backedUp;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture(LIVE, Fixtures.CHINOOK);
        bucket = bed.bucket("restore");
        env = bed.env(LIVE, bucket);
        stem = bed.backup(env);
        backedUp = bed.contentFingerprint(LIVE);
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    /** The live database differs from the backup (so "old" and "new" can be told apart) and leftovers are gone. */
    String changeLive() throws Exception {
        bed.pg.execute(LIVE, "DELETE FROM \"InvoiceLine\" WHERE \"InvoiceLineId\" IN (SELECT min(\"InvoiceLineId\") FROM \"InvoiceLine\")");
        String changed = bed.contentFingerprint(LIVE);
        assertFalse(changed.equals(backedUp));
        return changed;
    }

    @AfterEach
    void dropLeftovers() throws Exception {
        for (String db : bed.pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + LIVE + "_%'").lines().toList()) {
            bed.pg.dropDatabase(db);
        }
    }

    List<String> sideDatabases() throws Exception {
        return bed.pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + LIVE + "_restoring_%'").lines().toList();
    }

    boolean sql(String query) {
        try {
            return bed.pg.psql("postgres", query).strip().equals("t");
        } catch (Exception e) {
            return false;
        }
    }

    /** Live is there, accepts connections, and holds exactly the old or exactly the new content. */
    void assertLiveIsOldOrNew(String old) throws Exception {
        assertTrue(bed.databaseExists(LIVE), "the live database exists");
        assertTrue(bed.allowsConnections(LIVE), "the live database accepts connections");
        String now = bed.contentFingerprint(LIVE);
        assertTrue(now.equals(old) || now.equals(backedUp), "old or new content, nothing in between");
    }

    /** A pg_restore given the data section is running. */
    static boolean loading(PgBinSpy bin) {
        try {
            return bin.pidsGiven("pg_restore", "--section=data").stream().anyMatch(pid -> FaultBed.running(pid, "pg_restore"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void sigtermWhilePgRestoreRunsLeavesTheOldDatabaseAndASecondRestoreExits75() throws Exception {
        String old = changeLive();
        PgBinSpy bin = PgBinSpy.throttled(bed.pg.binDir(), "pg_restore", 100_000);
        Map<String, String> slow = new java.util.HashMap<>(env);
        slow.put("PG_BIN_DIR", bin.dir().toString());
        Process p = Lifeboat.start(slow, "restore", "--latest", "--confirm=" + LIVE, "--no-safety-backup");
        try {
            // a pg_restore loading the data section (they load at 100 kB/s, for seconds) is running
            FaultBed.await("pg_restore loads the data into the side database", 60, () -> !p.isAlive()
                    || loading(bin));
            assertTrue(p.isAlive(), Lifeboat.read(p, "err"));
            Lifeboat.Result second = Lifeboat.run(env, "restore", "--latest", "--confirm=" + LIVE, "--no-safety-backup");
            assertEquals(75, second.exit(), second.toString());
            List<Long> restorePids = bin.pids("pg_restore");
            assertFalse(restorePids.isEmpty());
            p.destroy();
            assertEquals(143, p.waitFor(), Lifeboat.read(p, "err"));
            for (long pid : restorePids) assertFalse(FaultBed.running(pid, "pg_restore"), "pg_restore " + pid + " was stopped");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(old, bed.contentFingerprint(LIVE), "the live database is the old one");
        assertLiveIsOldOrNew(old);
        assertEquals(List.of(), sideDatabases(), "the side database was dropped");
    }

    @Test
    void sigtermDuringTheSwapLeavesLiveOldOrNewAndConnectable() throws Exception {
        String old = changeLive();
        Process p = Lifeboat.start(env, "restore", "--latest", "--confirm=" + LIVE, "--no-safety-backup");
        try (Connection holder = bed.pg.jdbc("postgres")) {
            try {
                FaultBed.await("the side database exists", 60, () -> !p.isAlive() || sql("SELECT count(*) > 0 FROM pg_database WHERE datname LIKE '"
                        + LIVE + "_restoring_%'"));
                assertTrue(p.isAlive(), Lifeboat.read(p, "err"));
                String side = sideDatabases().get(0);
                // an open transaction that updated the side database's catalog row: the swap's rename waits for it
                holder.setAutoCommit(false);
                try (Statement st = holder.createStatement()) {
                    st.execute("ALTER DATABASE \"" + side + "\" CONNECTION LIMIT 1000");
                }
                FaultBed.await("the swap waits inside its transaction", 60, () -> !p.isAlive()
                        || sql("SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER DATABASE%RENAME%'"));
                assertTrue(p.isAlive(), Lifeboat.read(p, "err"));
                p.destroy();
                // the swap's statement is cancelled: nobody waits in the rename any more (before the fix it waited
                // until the JVM gave up, leaving live with ALLOW_CONNECTIONS false)
                FaultBed.await("the stopped run leaves the rename", 20, () -> sql("SELECT count(*) = 0 FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER DATABASE%RENAME%'"));
                holder.rollback(); // lets the cleanup (dropping the side database) go on
                assertEquals(143, p.waitFor(), Lifeboat.read(p, "err"));
            } finally {
                holder.rollback();
                p.destroyForcibly();
            }
        }
        assertLiveIsOldOrNew(old);
        assertEquals(List.of(), sideDatabases(), "the side database was dropped");
    }

    @Test
    void clientsHoldingConnectionsAreEndedAndTheSwapSucceeds() throws Exception {
        changeLive();
        List<Connection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) clients.add(bed.pg.jdbc(LIVE));
            clients.get(0).setAutoCommit(false);
            try (Statement st = clients.get(0).createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM \"Track\"")) {
                rs.next(); // a client in an open transaction
            }
            Lifeboat.Result r = Lifeboat.run(env, "restore", "--latest", "--confirm=" + LIVE, "--no-safety-backup");
            assertEquals(0, r.exit(), r.toString());
            for (Connection c : clients) assertFalse(c.isValid(2), "the client's session was ended");
        } finally {
            for (Connection c : clients) closeQuietly(c);
        }
        assertEquals(backedUp, bed.contentFingerprint(LIVE), "the restored database is in place");
        assertTrue(bed.allowsConnections(LIVE));
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // ended by the restore
        }
    }
}
