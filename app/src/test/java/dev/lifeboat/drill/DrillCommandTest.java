package dev.lifeboat.drill;

import dev.lifeboat.harness.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat drill`: restore into a throwaway database and prove it matches, exactly. Local store, passphrase. */
class DrillCommandTest {
    static PgCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, "pagila_drill", Fixtures.PAGILA);
        Fixtures.load(pg, "chinook_drill", Fixtures.CHINOOK);
        pg.execute("pagila_drill", "ALTER TABLE public.customer ENABLE ROW LEVEL SECURITY; "
                + "CREATE POLICY store_one ON public.customer USING (store_id = 1)");
    }

    static Map<String, String> env(String db, Path store) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", pg.url(db));
        env.put("BACKUP_DIR", store.toString());
        env.put("BACKUP_GPG_PASSPHRASE", "drill passphrase");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        return env;
    }

    static List<String> databases(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.jdbc("postgres");
             ResultSet rs = c.createStatement().executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + prefix + "%'")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static List<Path> files(Path store, String part) throws Exception {
        try (Stream<Path> s = Files.walk(store)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().contains(part)).toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pagila_drill", "chinook_drill"})
    void passesWithZeroDifferencesAndFilesItsReport(String db) throws Exception {
        Path store = Scratch.dir("drill-store-");
        assertEquals(0, Lifeboat.run(env(db, store), "backup").exit());
        pg.createDatabase("lifeboat_drill_20200101t000000");

        Lifeboat.Result r = Lifeboat.run(env(db, store), "drill", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode report = Json.mapper().readTree(r.out());
        assertEquals("passed", report.get("status").asText());
        assertEquals(0, report.get("differences").size());
        assertTrue(report.get("tables_checked").asInt() >= 11, report.toString());
        assertTrue(report.get("rto_met").asBoolean());
        assertEquals(List.of(), databases("lifeboat_drill_"), "the throwaway database and an earlier leftover are gone");
        assertEquals(1, files(store, "/drill/").size(), "the report is in the compliance register");
        assertEquals(1, files(store, ".verified.json").size(), "the backup counts as verified");
    }

    @Test
    void comparesSequencesAndRowLevelSecurityToo() throws Exception {
        Path store = Scratch.dir("drill-store-");
        assertEquals(0, Lifeboat.run(env("pagila_drill", store), "backup").exit());
        Lifeboat.Result r = Lifeboat.run(env("pagila_drill", store), "drill", "--json");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Json.mapper().readTree(r.out()).get("sequences_checked").asInt() >= 10, r.out());
    }

    @Test
    void failsNamingTheTableWhenTheRestoredDataDiffersFromTheManifest() throws Exception {
        Path store = Scratch.dir("drill-store-");
        assertEquals(0, Lifeboat.run(env("chinook_drill", store), "backup").exit());
        Path manifest = files(store, ".manifest.json").get(0);
        String json = Files.readString(manifest);
        String altered = json.replaceFirst("(\"name\" : \"Track\",\\s*\"rows\" : )(\\d+)", "$19999");
        assertTrue(!altered.equals(json) && altered.contains("9999"), "the manifest was altered");
        Files.writeString(manifest, altered);

        Lifeboat.Result r = Lifeboat.run(env("chinook_drill", store), "drill");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("public.Track") && r.err().contains("9999 rows") && r.err().contains("3503 rows"), r.err());
        assertEquals(List.of(), databases("lifeboat_drill_"));
        assertEquals(0, files(store, ".verified.json").size(), "a failed drill verifies nothing");
    }

    @Test
    void checkSqlRunsTheOperatorsQueries() throws Exception {
        Path store = Scratch.dir("drill-store-");
        assertEquals(0, Lifeboat.run(env("chinook_drill", store), "backup").exit());
        Path good = Files.writeString(Scratch.file("checks", ".sql"),
                "-- invoices exist\nSELECT count(*) > 400 FROM \"Invoice\";\nSELECT EXISTS (SELECT 1 FROM \"Artist\" WHERE \"Name\" = 'AC/DC');\n");
        assertEquals(0, Lifeboat.run(env("chinook_drill", store), "drill", "--check-sql", good.toString()).exit());
        Path bad = Files.writeString(Scratch.file("checks", ".sql"), "SELECT count(*) = 0 FROM \"Invoice\";\n");
        Lifeboat.Result r = Lifeboat.run(env("chinook_drill", store), "drill", "--check-sql", bad.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("count(*) = 0 FROM \"Invoice\""), r.err());
    }

    @Test
    void neverTouchesTheLiveDatabaseAndReportsUncoveredTables() throws Exception {
        Path store = Scratch.dir("drill-store-");
        Map<String, String> env = env("chinook_drill", store);
        assertEquals(0, Lifeboat.run(env, "backup", "--exclude-table", "\"PlaylistTrack\"").exit());
        Map<String, Long> before = counts("chinook_drill");
        Lifeboat.Result warn = Lifeboat.run(env, "drill");
        assertEquals(0, warn.exit(), warn.toString());
        assertTrue(warn.out().contains("public.PlaylistTrack"), warn.out());
        Lifeboat.Result strict = Lifeboat.run(env, "drill", "--strict");
        assertEquals(1, strict.exit(), strict.toString());
        assertEquals(before, counts("chinook_drill"), "the live database is as it was");
        Map<String, String> same = new HashMap<>(env);
        same.put("DATABASE_URL", pg.url("lifeboat_drill_x"));
        same.put("DRILL_DATABASE_URL", pg.url("postgres"));
        same.put("BACKUP_SOURCE_NAME", "chinook_drill");
        assertEquals(0, Lifeboat.run(same, "drill").exit(), "a live database that is not there is only a warning");
    }

    static Map<String, Long> counts(String db) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (Connection c = pg.jdbc(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT relname, n_live_tup FROM pg_stat_user_tables")) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        try (Connection c = pg.jdbc(db); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM \"Track\"")) {
            rs.next();
            out.put("track rows", rs.getLong(1));
        }
        return out;
    }
}
