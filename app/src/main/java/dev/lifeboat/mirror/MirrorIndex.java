package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.json.Json;
import dev.lifeboat.store.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What mirror copied: live key to size, source ETag and copy time, kept in the backup store as
 * {@code minio-index/<bucket>.json.gz} so that an unchanged run needs no per-object request.
 * Safe for concurrent updates by the copy workers.
 */
public final class MirrorIndex {
    public static final String FORMAT = "lifeboat-mirror-index/1";

    /** One copy: the source's size and ETag when it was copied, and when ({@code copied}, ISO-8601). */
    public record Entry(long size, String etag, String copied) {
        public boolean matches(LiveObject live) {
            return size == live.size() && etag != null && etag.equals(live.etag());
        }
    }

    /** The stored document. */
    record Document(String format, String bucket, String lifeboatVersion, String writtenAt, Map<String, Entry> objects) {}

    /** How the index was found at the start of a run. */
    public enum State { FOUND, MISSING, DAMAGED }

    private final ConcurrentSkipListMap<String, Entry> entries;
    private final State state;
    private final String problem;
    private final AtomicBoolean changed = new AtomicBoolean();

    private MirrorIndex(Map<String, Entry> entries, State state, String problem) {
        this.entries = new ConcurrentSkipListMap<>(entries);
        this.state = state;
        this.problem = problem;
    }

    public static MirrorIndex empty() {
        return new MirrorIndex(Map.of(), State.MISSING, null);
    }

    /**
     * Reads the index of {@code bucket}: MISSING when there is none, DAMAGED (empty, with the
     * reason) when it cannot be decoded. Any other read error stops the run (exit 3), since
     * rebuilding would cost one request per copy.
     */
    public static MirrorIndex read(ObjectStore store, String bucket) {
        String key = MirrorKeys.indexKey(bucket);
        byte[] data;
        try {
            data = store.read(key);
        } catch (NoSuchFileException e) {
            return new MirrorIndex(Map.of(), State.MISSING, null);
        } catch (IOException e) {
            throw LifeboatException.failed("cannot read the mirror index " + key + " in " + store.describe() + ": " + e.getMessage(), e);
        }
        try {
            return decode(data, bucket);
        } catch (IOException | RuntimeException e) {
            return new MirrorIndex(Map.of(), State.DAMAGED, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    static MirrorIndex decode(byte[] gz, String bucket) throws IOException {
        Document doc;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            doc = Json.read(in.readAllBytes(), Document.class);
        }
        if (doc == null || !FORMAT.equals(doc.format())) throw new IOException("not a " + FORMAT + " document");
        if (!bucket.equals(doc.bucket())) throw new IOException("it describes bucket " + doc.bucket() + ", not " + bucket);
        if (doc.objects() == null) throw new IOException("no objects field");
        for (Map.Entry<String, Entry> e : doc.objects().entrySet()) {
            if (e.getValue() == null || e.getValue().size() < 0) throw new IOException("bad entry for " + e.getKey());
        }
        return new MirrorIndex(doc.objects(), State.FOUND, null);
    }

    public byte[] encode(String bucket, Instant now) {
        Document doc = new Document(FORMAT, bucket, Version.get(), now.toString(), entries);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(Json.bytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the stored index with this one. */
    public void write(ObjectStore store, String bucket, Instant now) throws IOException {
        store.replace(MirrorKeys.indexKey(bucket), encode(bucket, now), Map.of(ObjectStore.VERSION_METADATA, Version.get()));
        changed.set(false);
    }

    public State state() {
        return state;
    }

    /** Why the index was DAMAGED, else null. */
    public String problem() {
        return problem;
    }

    public Entry get(String key) {
        return entries.get(key);
    }

    public void put(String key, Entry entry) {
        Entry old = entries.put(key, entry);
        if (!Objects.equals(old, entry)) changed.set(true);
    }

    public void remove(String key) {
        if (entries.remove(key) != null) changed.set(true);
    }

    /** True when the index differs from what was read (or was never stored). */
    public boolean changed() {
        return changed.get() || state != State.FOUND;
    }

    public int size() {
        return entries.size();
    }

    public NavigableMap<String, Entry> entries() {
        return entries;
    }
}
