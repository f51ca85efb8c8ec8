package dev.lifeboat.harness;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness itself: a real cluster, the fixtures load cleanly with ON_ERROR_STOP, roles and databases. */
class PgClusterTest {
    private static PgCluster pg;

    @BeforeAll
    static void cluster() throws IOException {
        pg = PgCluster.shared();
    }

    @Test
    void pagilaLoadsCompletely() throws Exception {
        pg.dropDatabase("harness_pagila");
        Fixtures.load(pg, "harness_pagila", Fixtures.PAGILA);
        try (Connection c = pg.jdbc("harness_pagila"); Statement s = c.createStatement()) {
            assertEquals(1000, count(s, "SELECT count(*) FROM public.film"));
            assertEquals(16049, count(s, "SELECT count(*) FROM public.payment"));
            assertTrue(count(s, "SELECT count(*) FROM pg_matviews WHERE schemaname = 'public'") >= 1);
        }
        assertEquals("1000", pg.psql("harness_pagila", "SELECT count(*) FROM public.film").strip());
        pg.dropDatabase("harness_pagila");
    }

    @Test
    void chinookLoadsCompletely() throws Exception {
        pg.dropDatabase("harness_chinook");
        Fixtures.load(pg, "harness_chinook", Fixtures.CHINOOK);
        assertEquals("11", pg.psql("harness_chinook",
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").strip());
        pg.dropDatabase("harness_chinook");
    }

    @Test
    void psqlStopsOnTheFirstError() throws Exception {
        IOException e = assertThrows(IOException.class, () -> pg.psql("postgres", "SELECT * FROM no_such_table"));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }

    @Test
    void rolesLogInWithTheirPassword() throws Exception {
        pg.execute("postgres", "DROP ROLE IF EXISTS harness_app");
        pg.createRole("harness_app", "app-pw", "CREATEDB");
        try (Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), "harness_app", "app-pw");
             Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT current_user");
            rs.next();
            assertEquals("harness_app", rs.getString(1));
        }
        pg.execute("postgres", "DROP ROLE harness_app");
        assertTrue(pg.url("x").matches("postgresql://postgres:[0-9a-f]+@127\\.0\\.0\\.1:\\d+/x"), pg.url("x"));
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
