package dev.lifeboat.catalog;

import dev.lifeboat.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupCatalogTest {
    private static final Map<String, String> OWN = Map.of("lifeboat-version", "test");
    private static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void groupsObjectsIntoBackupsOldestFirst() throws Exception {
        MemoryStore store = new MemoryStore();
        for (String k : List.of(
                "pg/app/2026-11-20/140000.dump.gz.gpg", "pg/app/2026-11-20/140000.globals.sql.gz.gpg", "pg/app/2026-11-20/140000.manifest.json",
                "pg/app/2026-11-20/120000-pre-deploy.dump.gz", "pg/app/2026-11-20/120000-pre-deploy.manifest.json",
                "pg/app/2026-11-20/120000-pre-deploy.verified.json",
                "pg/app/2026-11-19/230000.dump.gz",              // no manifest: incomplete
                "pg/app/2026-11-20/150000.dump.gz", "pg/app/2026-11-20/150000.manifest.json",
                "pg/app/README.txt",                             // a stranger
                "pg/app2/2026-11-20/160000.manifest.json",       // another source
                "files/app/2026-11-20/140000.tar.gz", "files/app/2026-11-20/140000.manifest.json")) {
            store.add(k, 10, T, OWN);
        }
        BackupCatalog c = BackupCatalog.read(store, "pg", "app");
        assertEquals(List.of("pg/app/2026-11-19/230000", "pg/app/2026-11-20/120000-pre-deploy", "pg/app/2026-11-20/140000",
                "pg/app/2026-11-20/150000"), c.entries().stream().map(e -> e.key().stem()).toList());
        assertEquals(List.of("pg/app/README.txt"), c.strangers().stream().map(o -> o.key()).toList());
        assertEquals(3, c.complete().size());
        assertEquals(List.of("pg/app/2026-11-19/230000"), c.incomplete().stream().map(e -> e.key().stem()).toList());
        CatalogEntry tagged = c.find("pg/app/2026-11-20/120000-pre-deploy").orElseThrow();
        assertTrue(tagged.complete());
        assertTrue(tagged.verified());
        assertEquals(3, tagged.objects().size());
        CatalogEntry plain = c.find("pg/app/2026-11-20/140000").orElseThrow();
        assertFalse(plain.verified());
        assertEquals(30, plain.storedBytes());

        assertEquals("pg/app/2026-11-20/150000", c.latestComplete(false).orElseThrow().key().stem());
        assertEquals("pg/app/2026-11-20/150000", c.latestComplete(true).orElseThrow().key().stem());
        assertEquals("pg/app/2026-11-20/140000", c.at(Instant.parse("2026-11-20T14:59:59Z")).orElseThrow().key().stem());
        assertEquals("pg/app/2026-11-20/140000", c.at(Instant.parse("2026-11-20T14:00:00Z")).orElseThrow().key().stem());
        assertEquals("pg/app/2026-11-20/120000-pre-deploy", c.at(Instant.parse("2026-11-20T13:00:00Z")).orElseThrow().key().stem());
        assertTrue(c.at(Instant.parse("2026-11-20T11:00:00Z")).isEmpty(), "the incomplete 23:00 one is never chosen");
        assertEquals(1, BackupCatalog.read(store, "files", "app").complete().size());
    }

    @Test
    void latestIgnoringTaggedSkipsTaggedOnes() throws Exception {
        MemoryStore store = new MemoryStore();
        store.add("pg/app/2026-11-20/100000.manifest.json", 1, T, OWN);
        store.add("pg/app/2026-11-20/110000-pre-deploy.manifest.json", 1, T, OWN);
        BackupCatalog c = BackupCatalog.read(store, "pg", "app");
        assertEquals("pg/app/2026-11-20/110000-pre-deploy", c.latestComplete(false).orElseThrow().key().stem());
        assertEquals("pg/app/2026-11-20/100000", c.latestComplete(true).orElseThrow().key().stem());
        assertTrue(BackupCatalog.read(store, "pg", "other").latestComplete(false).isEmpty());
    }
}
