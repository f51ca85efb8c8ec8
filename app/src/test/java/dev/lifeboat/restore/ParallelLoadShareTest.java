package dev.lifeboat.restore;

import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.backup.Manifest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParallelLoadShareTest {
    private static TocEntry data(int id, String name) {
        return new TocEntry(id, true, "TABLE DATA", "public", name, "postgres", null);
    }

    @Test
    void theLargestTablesGoFirstEachToTheLeastLoadedLoaderAndLargeObjectsToTheFirst() {
        List<TocEntry> toc = List.of(
                new TocEntry(1, false, "TABLE", "public", "big", "postgres", null),
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
