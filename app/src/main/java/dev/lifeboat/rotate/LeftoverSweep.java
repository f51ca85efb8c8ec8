package dev.lifeboat.rotate;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Unfinished;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what rotate may clean up besides planned backups, without deleting anything. An object
 * counts as lifeboat's only when {@code stat()} shows the {@code lifeboat-version} metadata;
 * everything else (another tool's files, even under {@code pg/}) is left alone.
 */
final class LeftoverSweep {
    private static final Pattern REPLACED = Pattern.compile("minio-replaced/[^/]+/(\\d{4})-(\\d{2})-(\\d{2})/.+");

    private final ObjectStore store;

    LeftoverSweep(ObjectStore store) {
        this.store = store;
    }

    /** Objects of backups without a manifest, written before {@code cutoff} by lifeboat. */
    List<String> incomplete(BackupCatalog catalog, Instant cutoff) throws IOException {
        List<String> keys = new ArrayList<>();
        for (CatalogEntry e : catalog.incomplete()) {
            for (ObjectInfo o : e.objects()) {
                if (o.lastModified().isBefore(cutoff) && owned(o.key())) keys.add(o.key());
            }
        }
        return keys;
    }

    /** The objects of a complete backup whose suffix lifeboat does not write, that lifeboat wrote nonetheless. */
    List<String> ownUnknownSuffix(CatalogEntry entry) throws IOException {
        List<String> keys = new ArrayList<>();
        for (ObjectInfo o : entry.objects()) {
            if (!entry.isKnownSuffix(o) && owned(o.key())) keys.add(o.key());
        }
        return keys;
    }

    /** Uploads under this kind and source that were started before {@code cutoff} and name a backup object. */
    List<Unfinished> unfinished(String kind, String source, Instant cutoff) throws IOException {
        List<Unfinished> out = new ArrayList<>();
        for (Unfinished u : store.unfinished(BackupKey.prefix(kind, source))) {
            Optional<String> suffix = BackupKey.suffix(u.key());
            boolean ours = suffix.isPresent() && BackupKey.isKnownSuffix(kind, suffix.get());
            if (ours && u.started().isBefore(cutoff)) out.add(u);
        }
        return out;
    }

    /**
     * Copies under {@code minio-replaced/<bucket>/<YYYY-MM-DD>/} whose whole day (UTC) lies more
     * than {@code keep} before now, so that every copy is kept at least {@code keep}.
     */
    List<String> expiredReplaced(Instant now, java.time.Duration keep) throws IOException {
        List<String> keys = new ArrayList<>();
        Instant cutoff = now.minus(keep);
        for (ObjectInfo o : store.list("minio-replaced/")) {
            Matcher m = REPLACED.matcher(o.key());
            if (!m.matches()) continue;
            Instant dayEnd;
            try {
                dayEnd = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                        .plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                continue;
            }
            if (!dayEnd.isAfter(cutoff) && owned(o.key())) keys.add(o.key());
        }
        return keys;
    }

    private boolean owned(String key) throws IOException {
        return store.stat(key).map(ObjectInfo::writtenByLifeboat).orElse(false);
    }
}
