package dev.lifeboat.inspect;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.files.FilesManifest;
import dev.lifeboat.json.Json;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code lifeboat list}: the backups of one source, newest last, from one listing per kind and
 * one read of each shown backup's manifest (for its encryption and table count). Incomplete
 * backups (no manifest) only when asked. Changes nothing.
 */
public final class ListJob {
    /**
     * @param kinds      {@code pg}, {@code files}, or both
     * @param limit      show only the newest this many (0: all)
     */
    public record Request(String source, List<String> kinds, boolean includeIncomplete, int limit) {}

    /**
     * One backup. {@code storedBytes}: every object of the backup as listed; {@code dumpBytes},
     * {@code encryption} and {@code tables} come from the manifest (null when there is none or
     * it is unreadable; {@code note} says which).
     */
    public record Row(String kind, String key, @JsonSerialize(using = ToStringSerializer.class) Instant time, String tag, boolean complete, boolean verified,
                      long storedBytes, Long dumpBytes, String encryption, Integer tables, String note) {}

    public record Report(String source, String store, List<Row> backups) {}

    private final ObjectStore store;

    public ListJob(ObjectStore store) {
        this.store = store;
    }

    public Report run(Request req) throws IOException {
        List<CatalogEntry> entries = new ArrayList<>();
        for (String kind : req.kinds()) {
            BackupCatalog catalog = BackupCatalog.read(store, kind, req.source());
            entries.addAll(req.includeIncomplete() ? catalog.entries() : catalog.complete());
        }
        entries.sort(Comparator.comparing(CatalogEntry::time).thenComparing(e -> e.key().stem()));
        if (req.limit() > 0 && entries.size() > req.limit()) entries = entries.subList(entries.size() - req.limit(), entries.size());
        List<Row> rows = new ArrayList<>();
        for (CatalogEntry e : entries) rows.add(row(e));
        return new Report(req.source(), store.describe(), rows);
    }

    private Row row(CatalogEntry e) throws IOException {
        String kind = e.key().kind();
        String stem = e.key().stem();
        String tag = e.key().tag();
        if (!e.complete()) {
            return new Row(kind, stem, e.time(), tag, false, e.verified(), e.storedBytes(), null, null, null,
                    "INCOMPLETE (no manifest)");
        }
        if (BackupKey.FILES.equals(kind)) return filesRow(e);
        Manifest m;
        try {
            m = Json.read(store.read(e.key().manifestKey()), Manifest.class);
        } catch (NoSuchFileException ex) {
            return new Row(kind, stem, e.time(), tag, false, e.verified(), e.storedBytes(), null, null, null,
                    "INCOMPLETE (manifest removed while listing)");
        } catch (IOException ex) {
            if (ex instanceof com.fasterxml.jackson.core.JacksonException) {
                return new Row(kind, stem, e.time(), tag, true, e.verified(), e.storedBytes(), null, null, null,
                        "manifest unreadable (run lifeboat verify " + stem + ")");
            }
            throw ex;
        }
        return new Row(kind, stem, e.time(), tag, true, e.verified(), e.storedBytes(), m.dumpBytes(),
                m.encryption() == null ? null : m.encryption().mode(), m.tables() == null ? null : m.tables().size(), null);
    }

    /** A files backup: {@code dumpBytes} holds the files' bytes, {@code note} the counts (it has no tables). */
    private Row filesRow(CatalogEntry e) throws IOException {
        String stem = e.key().stem();
        FilesManifest m;
        try {
            m = FilesManifest.parse(e.key().manifestKey(), store.read(e.key().manifestKey()));
        } catch (NoSuchFileException ex) {
            return new Row(e.key().kind(), stem, e.time(), e.key().tag(), false, e.verified(), e.storedBytes(), null, null, null,
                    "INCOMPLETE (manifest removed while listing)");
        } catch (dev.lifeboat.LifeboatException ex) {
            return new Row(e.key().kind(), stem, e.time(), e.key().tag(), true, e.verified(), e.storedBytes(), null, null, null,
                    "manifest unreadable (run lifeboat verify " + stem + ")");
        }
        return new Row(e.key().kind(), stem, e.time(), e.key().tag(), true, e.verified(), e.storedBytes(), m.counts().fileBytes(),
                m.encryption() == null ? null : m.encryption().mode(), null,
                m.counts().files() + " files, " + m.counts().directories() + " dirs, " + m.counts().symlinks() + " symlinks"
                        + (m.changedWhileRead().isEmpty() ? "" : ", " + m.changedWhileRead().size() + " changed while read"));
    }
}
