package dev.lifeboat.rotate;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.store.MemoryStore;
import dev.lifeboat.store.Unfinished;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A store as rotate meets it: hourly pg backups and daily files backups of source "app", lifeboat's
 * own leftovers (old and recent), objects another tool wrote (even under pg/), unfinished uploads
 * and copies under minio-replaced/.
 */
final class RotateFixture {
    static final Map<String, String> OWN = Map.of("lifeboat-version", "0.1.0");
    static final Map<String, String> FOREIGN = Map.of();
    static final Instant NOW = Instant.parse("2026-11-20T12:30:00Z");

    static final String OLD_OWN_LEFTOVER = "pg/app/2026-11-15/123000.dump.gz.gpg";
    static final String RECENT_OWN_LEFTOVER = "pg/app/2026-11-20/121500.dump.gz.gpg";
    static final String FOREIGN_INCOMPLETE = "pg/app/2026-11-12/000500.dump.gz";
    static final String REMOVED_STEM = "pg/app/2026-11-11/030000";
    static final String FOREIGN_BESIDE_REMOVED = REMOVED_STEM + ".dump.gz.gpg.sha256";
    static final String OWN_BESIDE_REMOVED = REMOVED_STEM + ".dump.gz.gpg.sig";
    static final String FOREIGN_STRANGER = "pg/app/README.txt";
    static final String REPLACED_EXPIRED = "minio-replaced/live/2026-10-01/a/b.png";
    static final String REPLACED_EXPIRED_EDGE = "minio-replaced/live/2026-10-20/e.png";
    static final String REPLACED_FOREIGN = "minio-replaced/live/2026-10-01/c.png";
    static final String REPLACED_YOUNG = "minio-replaced/live/2026-10-21/d.png";
    static final Unfinished OLD_UPLOAD = new Unfinished("pg/app/2026-11-18/040000.dump.gz.gpg", "u-old", NOW.minus(Duration.ofDays(2)));
    static final Unfinished RECENT_UPLOAD = new Unfinished(RECENT_OWN_LEFTOVER, "u-recent", NOW.minus(Duration.ofMinutes(15)));
    static final Unfinished STRANGE_UPLOAD = new Unfinished("pg/app/notes/x.bin", "u-strange", NOW.minus(Duration.ofDays(9)));

    static final List<String> FOREIGN_KEYS = List.of(FOREIGN_INCOMPLETE, FOREIGN_BESIDE_REMOVED, FOREIGN_STRANGER, REPLACED_FOREIGN);

    private RotateFixture() {}

    /** The whole scene: {@code pgDays} of hourly pg backups up to 12:00 on NOW's day, 40 daily files backups. */
    static MemoryStore store(int pgDays) {
        MemoryStore s = new MemoryStore();
        Instant lastPg = Instant.parse("2026-11-20T12:00:00Z");
        for (int h = 0; h <= pgDays * 24; h++) {
            Instant t = lastPg.minus(Duration.ofHours(h));
            pg(s, t, h % 50 == 7);
        }
        for (int d = 0; d < 40; d++) {
            Instant t = Instant.parse("2026-11-20T01:00:00Z").minus(Duration.ofDays(d));
            String stem = BackupKey.of("files", "app", t, null).stem();
            s.add(stem + ".tar.gz.gpg", 1000, t.plusSeconds(600), OWN);
            s.add(stem + ".manifest.json", 10, t.plusSeconds(601), OWN);
        }
        s.add(OLD_OWN_LEFTOVER, 100, NOW.minus(Duration.ofDays(5)), OWN);
        s.add(RECENT_OWN_LEFTOVER, 100, NOW.minus(Duration.ofMinutes(14)), OWN);
        s.add(FOREIGN_INCOMPLETE, 100, NOW.minus(Duration.ofDays(8)), FOREIGN);
        s.add(FOREIGN_BESIDE_REMOVED, 64, NOW.minus(Duration.ofDays(9)), FOREIGN);
        s.add(OWN_BESIDE_REMOVED, 64, NOW.minus(Duration.ofDays(9)), OWN);
        s.add(FOREIGN_STRANGER, 5, NOW.minus(Duration.ofDays(100)), FOREIGN);
        s.add(REPLACED_EXPIRED, 5, NOW.minus(Duration.ofDays(50)), OWN);
        s.add(REPLACED_EXPIRED_EDGE, 5, NOW.minus(Duration.ofDays(31)), OWN);
        s.add(REPLACED_FOREIGN, 5, NOW.minus(Duration.ofDays(50)), FOREIGN);
        s.add(REPLACED_YOUNG, 5, NOW.minus(Duration.ofDays(30)), OWN);
        s.addUnfinished(OLD_UPLOAD);
        s.addUnfinished(RECENT_UPLOAD);
        s.addUnfinished(STRANGE_UPLOAD);
        return s;
    }

    static void pg(MemoryStore s, Instant t, boolean verified) {
        String stem = BackupKey.of("pg", "app", t, null).stem();
        s.add(stem + ".dump.gz.gpg", 1000, t.plusSeconds(300), OWN);
        s.add(stem + ".globals.sql.gz.gpg", 100, t.plusSeconds(301), OWN);
        s.add(stem + ".manifest.json", 10, t.plusSeconds(302), OWN);
        if (verified) s.add(stem + ".verified.json", 10, t.plusSeconds(3600), OWN);
    }

    /** The stems the policy keeps, per the same catalog rotate reads. */
    static Set<String> plannedKeep(MemoryStore s, RetentionSettings settings, Instant now) throws IOException {
        RetentionPolicy policy = new RetentionPolicy(settings);
        Set<String> keep = new java.util.HashSet<>();
        for (String kind : List.of("pg", "files")) {
            List<RetentionCandidate> c = BackupCatalog.read(s, kind, "app").complete().stream().map(RetentionCandidate::of).toList();
            policy.plan(c, now).kept().forEach(d -> keep.add(d.backup().id()));
        }
        return keep;
    }

    static Set<String> completeStems(MemoryStore s) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (String kind : List.of("pg", "files")) {
            out.addAll(BackupCatalog.read(s, kind, "app").complete().stream().map(e -> e.key().stem()).collect(Collectors.toSet()));
        }
        return out;
    }
}
