package dev.lifeboat.catalog;

import dev.lifeboat.store.ObjectInfo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One backup as the store's listing shows it: every object whose key starts with its stem (in
 * key order), whether its manifest is there ({@code complete}: the commit marker) and whether a
 * {@code .verified.json} is there ({@code verified}).
 *
 * <p>Listings carry no user metadata, so an entry does not know who wrote an object; a
 * complete backup's objects with a {@linkplain BackupKey#isKnownSuffix known suffix} are
 * lifeboat's (lifeboat wrote the manifest after them), anything else must be checked with
 * {@code stat()} before it is deleted.
 */
public record CatalogEntry(BackupKey key, List<ObjectInfo> objects, boolean complete, boolean verified) {
    public CatalogEntry {
        objects = List.copyOf(objects);
    }

    public Instant time() {
        return key.time();
    }

    public Optional<String> tag() {
        return key.tagValue();
    }

    public long storedBytes() {
        return objects.stream().mapToLong(ObjectInfo::size).sum();
    }

    /** The newest last-modified time of its objects (how long ago anything was written to it). */
    public Instant lastWritten() {
        return objects.stream().map(ObjectInfo::lastModified).max(Instant::compareTo).orElse(key.time());
    }

    /** The suffix of one of this entry's objects ({@code .dump.gz.gpg}). */
    public String suffixOf(ObjectInfo object) {
        return object.key().substring(key.stem().length());
    }

    public boolean isKnownSuffix(ObjectInfo object) {
        return BackupKey.isKnownSuffix(key.kind(), suffixOf(object));
    }
}
