package dev.lifeboat.restore;

import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.backup.Manifest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How loaders share the data: whole tables with --spool ({@link ParallelLoad}), rows of the tables the archive creates when streaming ({@link SplitLoad}). */
class ParallelLoadShareTest {
    private static TocEntry data(int id, String name) {
        return new TocEntry(id, true, "TABLE DATA", "public", name, "postgres", null);
    }

    private static TocEntry table(int id, String name) {
        return new TocEntry(id, false, "TABLE", "public", name, "postgres", null);
    }

    @Test
    void theDataOfTablesTheArchiveDoesNotCreateGoesWholeToTheFirstLoader() {
        // an extension's configuration tables: TABLE DATA without a TABLE entry (CREATE EXTENSION made
        // them, with their foreign keys), in the order pg_dump chose for those keys
        List<TocEntry> toc = List.of(
                new TocEntry(1, false, "EXTENSION", null, "pg_partman", "postgres", null),
                table(2, "orders"), table(3, "lines"), new TocEntry(4, false, "TABLE", "other", "lines", "postgres", null),
                data(10, "part_config"), data(11, "part_config_sub"), data(12, "orders"), data(13, "lines"),
                new TocEntry(14, true, "TABLE DATA", "other", "lines", "postgres", null));
        assertEquals(List.of(12, 13, 14), List.copyOf(SplitLoad.shared(toc)), "a table the archive creates, in archive order");
        assertEquals("12;\n13;\n14;\n", SplitLoad.useList(SplitLoad.shared(toc)));
        List<Manifest.TableEntry> m = List.of(new Manifest.TableEntry("public", "part_config", 5),
                new Manifest.TableEntry("public", "part_config_sub", 5), new Manifest.TableEntry("public", "orders", 100),
                new Manifest.TableEntry("public", "lines", 90));
        List<Set<Integer>> shares = ParallelLoad.share(toc, m, 2);
        assertEquals(2, shares.size());
        assertTrue(shares.get(0).containsAll(Set.of(10, 11)), shares.toString());
        assertTrue(shares.get(1).stream().noneMatch(id -> id == 10 || id == 11), shares.toString());
    }

    @Test
    void theLargestTablesGoFirstEachToTheLeastLoadedLoaderAndLargeObjectsToTheFirst() {
        List<TocEntry> toc = List.of(
                table(1, "big"), table(2, "small"), table(3, "medium"), table(4, "medium2"),
                data(10, "small"), data(11, "big"), data(12, "medium"), data(13, "medium2"),
                new TocEntry(20, true, "BLOBS", null, "BLOBS", "postgres", null),
                new TocEntry(21, false, "SEQUENCE SET", "public", "s", "postgres", null));
        List<Manifest.TableEntry> m = List.of(
                new Manifest.TableEntry("public", "big", 1000), new Manifest.TableEntry("public", "medium", 600),
                new Manifest.TableEntry("public", "medium2", 500), new Manifest.TableEntry("public", "small", 10));
        List<Set<Integer>> shares = ParallelLoad.share(toc, m, 2);
        assertEquals(List.of(Set.of(11, 10, 20), Set.of(12, 13)), shares, "big+small (1010 rows) and medium+medium2 (1100)");
        assertEquals(List.of(Set.of(11, 12, 13, 10, 20)), ParallelLoad.share(toc, m, 1));
        assertEquals(4, ParallelLoad.share(toc, m, 8).size(), "no more loaders than tables");
    }
}
