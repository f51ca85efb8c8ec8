package dev.lifeboat.rotate;

import dev.lifeboat.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.lifeboat.rotate.RotateFixture.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RotateJob against the in-memory store (interim, until the same scene runs against S3Proxy):
 * what it keeps, what it deletes and in which order, what it never touches, and its refusals.
 */
class RotateJobTest {
    private static final RotateSettings SETTINGS = new RotateSettings(RetentionSettings.defaults(), Duration.ofHours(2),
            Duration.ofHours(25), Duration.ofDays(30), RotateSettings.LEFTOVER_GRACE);

    private static RotateReport run(MemoryStore store, boolean dryRun, boolean force, Instant now) throws IOException {
        return new RotateJob(store, SETTINGS, RotateJob.ExclusiveHold.NO_LOCK).run(new RotateJob.Request("app", dryRun, force, now));
    }

    @Test
    void keepsExactlyThePlannedSetAndRemovesOwnLeftovers() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        Set<String> planned = RotateFixture.plannedKeep(store, SETTINGS.retention(), NOW);
        Set<String> before = RotateFixture.completeStems(store);
        assertTrue(planned.size() < before.size() && planned.size() * 2 >= before.size(), "the scene removes some, not most");

        RotateReport report = run(store, false, false, NOW);

        assertEquals(List.of(), report.refusals());
        assertTrue(report.applied());
        assertEquals(Map.of(), report.failed());
        assertEquals(planned, RotateFixture.completeStems(store));
        Set<String> keys = store.keys();
        for (String k : keys) {
            boolean ofKept = planned.stream().anyMatch(stem -> k.startsWith(stem + "."));
            boolean foreign = RotateFixture.FOREIGN_KEYS.contains(k);
            boolean young = k.equals(RotateFixture.RECENT_OWN_LEFTOVER) || k.equals(RotateFixture.REPLACED_YOUNG);
            assertTrue(ofKept || foreign || young, "left behind: " + k);
        }
        assertTrue(keys.containsAll(RotateFixture.FOREIGN_KEYS), "objects another tool wrote are never deleted");
        assertTrue(keys.contains(RotateFixture.RECENT_OWN_LEFTOVER), "a backup in progress is left alone");
        assertFalse(keys.contains(RotateFixture.OLD_OWN_LEFTOVER));
        assertFalse(keys.contains(RotateFixture.OWN_BESIDE_REMOVED));
        assertFalse(keys.contains(RotateFixture.REPLACED_EXPIRED));
        assertFalse(keys.contains(RotateFixture.REPLACED_EXPIRED_EDGE));
        assertTrue(keys.contains(RotateFixture.REPLACED_YOUNG));
        assertEquals(List.of(RotateFixture.RECENT_UPLOAD, RotateFixture.STRANGE_UPLOAD), store.allUnfinished());
        assertEquals(report.deleted().size(), store.deletions().stream().filter(d -> !d.startsWith("abort ")).count());
    }

    @Test
    void deletesEachManifestBeforeTheRestOfItsBackup() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        run(store, false, false, NOW);
        List<String> order = store.deletions();
        Map<String, Integer> manifestAt = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).endsWith(".manifest.json")) manifestAt.put(order.get(i).substring(0, order.get(i).length() - 14), i);
        }
        assertTrue(manifestAt.containsKey(RotateFixture.REMOVED_STEM));
        int checked = 0;
        for (int i = 0; i < order.size(); i++) {
            String k = order.get(i);
            if (k.endsWith(".manifest.json") || k.startsWith("abort ") || !k.matches("(pg|files)/app/\\d{4}-\\d{2}-\\d{2}/\\d{6}\\..*")) continue;
            String stem = k.substring(0, k.indexOf('.', k.lastIndexOf('/')));
            if (!manifestAt.containsKey(stem)) continue; // an incomplete leftover: had no manifest
            assertTrue(manifestAt.get(stem) < i, "manifest of " + stem + " deleted after " + k);
            checked++;
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    @Test
    void dryRunChangesNothingAndShowsThePlan() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        Set<String> keys = store.keys();
        Set<String> planned = RotateFixture.plannedKeep(store, SETTINGS.retention(), NOW);
        RotateReport report = run(store, true, false, NOW);
        assertEquals(keys, store.keys());
        assertEquals(List.of(), store.deletions());
        assertEquals(3, store.allUnfinished().size());
        assertFalse(report.applied());
        assertEquals(List.of(), report.deleted());
        assertEquals(planned.size(), report.keptCount());
        assertTrue(report.removedCount() > 0);
        assertEquals(List.of(RotateFixture.OLD_OWN_LEFTOVER), report.leftovers());
        assertEquals(List.of(RotateFixture.REPLACED_EXPIRED, RotateFixture.REPLACED_EXPIRED_EDGE), report.expiredReplaced());
        RotateReport.Row removed = report.backups().stream().filter(r -> r.key().equals(RotateFixture.REMOVED_STEM)).findFirst().orElseThrow();
        assertFalse(removed.keep());
        assertEquals(List.of("no rule keeps it"), removed.reasons());
    }

    @Test
    void refusesWhenNoCompleteBackupIsFound() throws IOException {
        MemoryStore store = new MemoryStore();
        store.add(RotateFixture.OLD_OWN_LEFTOVER, 10, NOW.minus(Duration.ofDays(5)), RotateFixture.OWN);
        RotateReport report = run(store, false, false, NOW);
        assertRefusedUntouched(store, report, Set.of(RotateFixture.OLD_OWN_LEFTOVER), "no complete backup found under pg/app/");
        RotateReport forced = run(store, false, true, NOW);
        assertTrue(forced.applied());
        assertEquals(Set.of(), store.keys(), "with --force its own leftover goes");
    }

    @Test
    void refusesWhenTheNewestIsOlderThanMaxAge() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        Set<String> keys = store.keys();
        RotateReport report = run(store, false, false, Instant.parse("2026-11-20T14:00:01Z"));
        assertRefusedUntouched(store, report, keys, "older than BACKUP_MAX_AGE=2h");
        assertEquals(3, store.allUnfinished().size());
    }

    @Test
    void refusesWhenTheFilesBackupsAreStaleEvenIfPgIsFresh() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        Instant later = Instant.parse("2026-11-21T02:30:00Z");
        RotateFixture.pg(store, later.minus(Duration.ofMinutes(30)), false);
        Set<String> keys = store.keys();
        RotateReport report = run(store, false, false, later);
        assertRefusedUntouched(store, report, keys, "files/app/2026-11-20/010000 is 1d1h30min old, older than BACKUP_FILES_MAX_AGE=1d1h");
        assertEquals(1, report.refusals().size(), "pg is fresh: " + report.refusals());
    }

    @Test
    void refusesToRemoveMoreThanHalfUnlessForced() throws IOException {
        MemoryStore store = RotateFixture.store(60);
        Set<String> keys = store.keys();
        RotateReport report = run(store, false, false, NOW);
        assertRefusedUntouched(store, report, keys, "more than half");
        Set<String> planned = RotateFixture.plannedKeep(store, SETTINGS.retention(), NOW);
        RotateReport forced = run(store, false, true, NOW);
        assertTrue(forced.applied());
        assertTrue(forced.forced());
        assertEquals(planned, RotateFixture.completeStems(store));
    }

    @Test
    void aManifestThatCannotBeDeletedKeepsItsBackupWholeAndTheRestGoesOn() throws IOException {
        MemoryStore store = RotateFixture.store(10);
        String manifest = RotateFixture.REMOVED_STEM + ".manifest.json";
        store.denyDelete(manifest);
        store.denyDelete(RotateFixture.REPLACED_EXPIRED);
        RotateReport report = run(store, false, false, NOW);
        assertEquals(Set.of(manifest, RotateFixture.REPLACED_EXPIRED), report.failed().keySet());
        assertTrue(report.failed().get(manifest).contains("AccessDenied"));
        assertTrue(store.keys().containsAll(List.of(manifest, RotateFixture.REMOVED_STEM + ".dump.gz.gpg",
                RotateFixture.REMOVED_STEM + ".globals.sql.gz.gpg", RotateFixture.OWN_BESIDE_REMOVED)));
        assertTrue(RotateFixture.completeStems(store).contains(RotateFixture.REMOVED_STEM), "still complete, still whole");
        assertTrue(report.deleted().size() > 200, "the other deletes went on: " + report.deleted().size());
        assertFalse(store.keys().contains(RotateFixture.OLD_OWN_LEFTOVER));
    }

    @Test
    void holdsTheStoreExclusivelyOnlyWhenItMayDelete() throws IOException {
        List<String> events = new ArrayList<>();
        RotateJob.ExclusiveHold hold = purpose -> {
            events.add("acquire " + purpose);
            return () -> events.add("release");
        };
        MemoryStore store = RotateFixture.store(10);
        new RotateJob(store, SETTINGS, hold).run(new RotateJob.Request("app", true, false, NOW));
        assertEquals(List.of(), events);
        new RotateJob(store, SETTINGS, hold).run(new RotateJob.Request("app", false, false, NOW));
        assertEquals(List.of("acquire rotate app", "release"), events);
    }

    private static void assertRefusedUntouched(MemoryStore store, RotateReport report, Set<String> keysBefore, String why) {
        assertTrue(report.refused());
        assertFalse(report.applied());
        assertTrue(report.refusals().stream().anyMatch(r -> r.contains(why)), report.refusals().toString());
        assertEquals(keysBefore, store.keys());
        assertEquals(List.of(), store.deletions());
        assertEquals(List.of(), report.deleted());
    }
}
