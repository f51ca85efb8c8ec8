package dev.lifeboat.catalog;

import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backups of one kind ({@code pg} or {@code files}) and source in a store, oldest first,
 * read with one {@code list(prefix)} call and no request per object. Objects under the prefix
 * whose key is outside the layout are kept apart as {@link #strangers()} and never treated as
 * backups.
 */
public final class BackupCatalog {
    private static final Comparator<CatalogEntry> OLDEST_FIRST =
            Comparator.comparing(CatalogEntry::time).thenComparing(e -> e.key().stem());

    private final String kind;
    private final String source;
    private final List<CatalogEntry> entries;
    private final List<ObjectInfo> strangers;

    private BackupCatalog(String kind, String source, List<CatalogEntry> entries, List<ObjectInfo> strangers) {
        this.kind = kind;
        this.source = source;
        this.entries = List.copyOf(entries);
        this.strangers = List.copyOf(strangers);
    }

    public static BackupCatalog read(ObjectStore store, String kind, String source) throws IOException {
        return of(kind, source, store.list(BackupKey.prefix(kind, source)));
    }

    /** The catalog of a listing already made (objects of other kinds or sources are strangers). */
    public static BackupCatalog of(String kind, String source, List<ObjectInfo> listing) {
        Map<BackupKey, List<ObjectInfo>> byKey = new LinkedHashMap<>();
        List<ObjectInfo> strangers = new ArrayList<>();
        for (ObjectInfo o : listing) {
            Optional<BackupKey> k = BackupKey.parse(o.key());
            if (k.isPresent() && k.get().kind().equals(kind) && k.get().source().equals(source)) {
                byKey.computeIfAbsent(k.get(), x -> new ArrayList<>()).add(o);
            } else {
                strangers.add(o);
            }
        }
        List<CatalogEntry> entries = new ArrayList<>(byKey.size());
        for (Map.Entry<BackupKey, List<ObjectInfo>> e : byKey.entrySet()) {
            BackupKey k = e.getKey();
            List<ObjectInfo> objects = new ArrayList<>(e.getValue());
            objects.sort(Comparator.comparing(ObjectInfo::key));
            boolean complete = objects.stream().anyMatch(o -> o.key().equals(k.manifestKey()));
            boolean verified = objects.stream().anyMatch(o -> o.key().equals(k.verifiedKey()));
            entries.add(new CatalogEntry(k, objects, complete, verified));
        }
        entries.sort(OLDEST_FIRST);
        return new BackupCatalog(kind, source, entries, strangers);
    }

    public String kind() { return kind; }
    public String source() { return source; }

    /** Every backup, complete or not, oldest first. */
    public List<CatalogEntry> entries() { return entries; }

    /** Objects under the prefix that are not part of any backup's layout. */
    public List<ObjectInfo> strangers() { return strangers; }

    /** The complete backups (with a manifest), oldest first. */
    public List<CatalogEntry> complete() {
        return entries.stream().filter(CatalogEntry::complete).toList();
    }

    /** Backups without a manifest: in progress, or left behind by a run that died. */
    public List<CatalogEntry> incomplete() {
        return entries.stream().filter(e -> !e.complete()).toList();
    }

    /** The newest complete backup; with {@code ignoreTagged}, the newest untagged one (what restore --latest means). */
    public Optional<CatalogEntry> latestComplete(boolean ignoreTagged) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            CatalogEntry e = entries.get(i);
            if (e.complete() && !(ignoreTagged && e.key().tagged())) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** The newest complete backup taken at or before {@code time} (restore --at). */
    public Optional<CatalogEntry> at(Instant time) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            CatalogEntry e = entries.get(i);
            if (e.complete() && !e.time().isAfter(time)) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** The backup with exactly this stem ({@code pg/app/2026-11-20/140000}), complete or not. */
    public Optional<CatalogEntry> find(String stem) {
        return entries.stream().filter(e -> e.key().stem().equals(stem)).findFirst();
    }

    /** The backup with this stem, for a restore: empty when there is none, exit 1 when it has no manifest. */
    public Optional<CatalogEntry> findRestorable(String stem) {
        Optional<CatalogEntry> entry = find(stem);
        if (entry.isPresent() && !entry.get().complete()) {
            throw dev.lifeboat.LifeboatException.checkFailed("backup " + stem + " is incomplete (it has no manifest); it cannot be restored");
        }
        return entry;
    }

    /** The manifest of a complete backup, read; exit 1 when it vanished since the listing. */
    public static byte[] readManifest(ObjectStore store, CatalogEntry e) throws IOException {
        try {
            return store.read(e.key().manifestKey());
        } catch (java.nio.file.NoSuchFileException ex) {
            throw dev.lifeboat.LifeboatException.checkFailed("manifest " + e.key().manifestKey() + " vanished while reading it");
        }
    }
}
