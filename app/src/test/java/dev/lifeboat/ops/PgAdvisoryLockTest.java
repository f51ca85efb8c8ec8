package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgAdvisoryLockTest {
    static ThrowawayPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = new ThrowawayPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void keyIsStableAndPerSource() {
        assertEquals(PgAdvisoryLock.key("shop"), PgAdvisoryLock.key("shop"));
        assertNotEquals(PgAdvisoryLock.key("shop"), PgAdvisoryLock.key("shop2"));
    }

    @Test
    void aSecondSessionGetsExit75NamingTheFirstAndGetsTheLockOnceTheFirstSessionEnds() throws Exception {
        try (Connection hostB = pg.connect("lifeboat-host-b")) {
            try (Connection hostA = pg.connect("lifeboat-host-a")) {
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
            try (PgAdvisoryLock lock = PgAdvisoryLock.acquire(hostB, "shop")) {
                assertEquals(PgAdvisoryLock.key("shop"), lock.key());
            }
            try (Connection hostA = pg.connect("lifeboat-host-a"); PgAdvisoryLock again = PgAdvisoryLock.acquire(hostA, "shop")) {
                assertEquals(PgAdvisoryLock.key("shop"), again.key(), "close() unlocked it");
            }
        }
    }
}
