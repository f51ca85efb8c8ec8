package dev.lifeboat.verify;

import java.time.Instant;

/**
 * What to verify: one backup ({@code key}: a stem such as {@code pg/app/2026-11-20/140000} or
 * any object key of it), the newest complete backup of {@code source}, or all of them; of kind
 * {@code pg} (databases) or {@code files} (a KEY names its own kind).
 *
 * @param level            null: full when a secret key or passphrase is configured, else quick
 * @param maxShrinkPercent null: a dump smaller than half the previous one is a warning;
 *                         set: shrinking by more than this percentage is a failure
 * @param now              the time the age is measured against
 */
public record VerifyRequest(String source, Selection selection, String key, VerifyLevel level, Double maxShrinkPercent,
                            Instant now, String kind) {
    public enum Selection { KEY, LATEST, ALL }

    public VerifyRequest {
        if (selection == Selection.KEY && key == null) throw new IllegalArgumentException("selection KEY needs a key");
        if (selection != Selection.KEY && source == null) throw new IllegalArgumentException(selection + " needs a source");
        if (kind == null) kind = dev.lifeboat.catalog.BackupKey.PG;
    }

    /** Database backups ({@code pg}); a KEY names its own kind. */
    public VerifyRequest(String source, Selection selection, String key, VerifyLevel level, Double maxShrinkPercent, Instant now) {
        this(source, selection, key, level, maxShrinkPercent, now, dev.lifeboat.catalog.BackupKey.PG);
    }
}
