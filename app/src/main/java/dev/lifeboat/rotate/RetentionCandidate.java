package dev.lifeboat.rotate;

import dev.lifeboat.catalog.CatalogEntry;

import java.time.Instant;
import java.util.Objects;

/** What the policy knows of one complete backup: an id (the stem), its time, its tag (or null) and whether it was verified. */
public record RetentionCandidate(String id, Instant time, String tag, boolean verified) {
    public RetentionCandidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
    }

    public static RetentionCandidate of(CatalogEntry entry) {
        return new RetentionCandidate(entry.key().stem(), entry.time(), entry.key().tag(), entry.verified());
    }
}
