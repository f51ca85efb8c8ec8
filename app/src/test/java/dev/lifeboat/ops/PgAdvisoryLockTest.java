package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.harness.PgCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgAdvisoryLockTest {
    static PgCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = PgCluster.shared();
    }

    /** A session as one host's lifeboat would open it, told apart by its application_name. */
    static Connection connect(String applicationName) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", cluster.password());
        p.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(cluster.jdbcUrl("postgres"), p);
    }

    @Test
    void keyIsStableAndPerSource() {
        assertEquals(PgAdvisoryLock.key("shop"), PgAdvisoryLock.key("shop"));
        assertNotEquals(PgAdvisoryLock.key("shop"), PgAdvisoryLock.key("shop2"));
    }

    @Test
    void aSecondSessionGetsExit75NamingTheFirstAndGetsTheLockOnceTheFirstSessionEnds() throws Exception {
        try (Connection hostB = connect("lifeboat-host-b")) {
            try (Connection hostA = connect("lifeboat-host-a")) {
                PgAdvisoryLock.acquire(hostA, "shop");
                LifeboatException e = assertThrows(LifeboatException.class, () -> PgAdvisoryLock.acquire(hostB, "shop"));
                assertEquals(ExitCode.LOCKED, e.exitCode());
                assertTrue(e.getMessage().contains("application_name 'lifeboat-host-a'"), e.getMessage());
                assertTrue(e.getMessage().contains("client 127.0.0.1"), e.getMessage());
                assertTrue(e.getMessage().contains("backend_start 20"), e.getMessage());
                try (PgAdvisoryLock other = PgAdvisoryLock.acquire(hostB, "another-source")) {
                    assertEquals(PgAdvisoryLock.key("another-source"), other.key());
                }
            } // the session ends as a crashed run's would: the lock goes with it
            awaitSessionGone(hostB, "lifeboat-host-a");
            try (PgAdvisoryLock lock = PgAdvisoryLock.acquire(hostB, "shop")) {
                assertEquals(PgAdvisoryLock.key("shop"), lock.key());
            }
            try (Connection hostA = connect("lifeboat-host-a"); PgAdvisoryLock again = PgAdvisoryLock.acquire(hostA, "shop")) {
                assertEquals(PgAdvisoryLock.key("shop"), again.key(), "close() unlocked it");
            }
        }
    }

    /** The server ends a closed session's backend asynchronously; wait (bounded) until it is gone. */
    private static void awaitSessionGone(Connection observer, String applicationName) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (var st = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
                st.setString(1, applicationName);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("session " + applicationName + " did not end within 20 s");
    }
}
