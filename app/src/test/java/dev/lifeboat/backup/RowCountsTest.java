package dev.lifeboat.backup;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BACKUP_ROW_COUNTS: the default counts rows from the COPY data as it streams into the store;
 * {@code snapshot} counts every table with count(*) in the dump's snapshot. On the sample
 * databases both give the same table list and the same exact counts, and the manifest says which
 * method was used.
 */
class RowCountsTest {
    static PgCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, "rowcounts_pagila", Fixtures.PAGILA);
        Fixtures.load(pg, "rowcounts_chinook", Fixtures.CHINOOK);
        // an empty table and a table with no columns: the edge cases of counting COPY lines
        pg.execute("rowcounts_pagila", "CREATE TABLE empty_table (id int); CREATE TABLE no_columns (); "
                + "INSERT INTO no_columns DEFAULT VALUES; INSERT INTO no_columns DEFAULT VALUES");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pagila", "chinook"})
    void copyStreamCountsEqualSnapshotCounts(String fixture) throws Exception {
        Manifest streamed = backup(fixture, null);
        Manifest counted = backup(fixture, "snapshot");
        assertEquals("copy-stream", streamed.rowCounts());
        assertEquals("snapshot", counted.rowCounts());
        assertEquals(counted.tables(), streamed.tables());
        assertTrue(streamed.tables().size() >= 11, streamed.tables().toString());
        long rows = streamed.tables().stream().mapToLong(Manifest.TableEntry::rows).sum();
        assertTrue(rows > 15_000, "rows " + rows);
        if (fixture.equals("pagila")) {
            assertEquals(List.of(0L), rowsOf(streamed, "empty_table"));
            assertEquals(List.of(2L), rowsOf(streamed, "no_columns"));
            assertEquals(List.of(Long.parseLong(pg.psql("rowcounts_pagila", "SELECT count(*) FROM ONLY public.rental").trim())),
                    rowsOf(streamed, "rental"));
        }
    }

    private static List<Long> rowsOf(Manifest m, String table) {
        return m.tables().stream().filter(t -> t.name().equals(table)).map(Manifest.TableEntry::rows).toList();
    }

    private static Manifest backup(String fixture, String rowCounts) throws Exception {
        Path dir = Scratch.dir("lifeboat-rowcounts-");
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", pg.url("rowcounts_" + fixture));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_DIR", dir.toString());
        env.put("BACKUP_ENCRYPTION", "off");
        if (rowCounts != null) env.put("BACKUP_ROW_COUNTS", rowCounts);
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(0, r.exit(), r.toString());
        try (Stream<Path> files = Files.walk(dir)) {
            Path manifest = files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow();
            return Manifest.parse(manifest.toString(), Files.readAllBytes(manifest));
        } finally {
            PgCluster.deleteTree(dir);
        }
    }
}
