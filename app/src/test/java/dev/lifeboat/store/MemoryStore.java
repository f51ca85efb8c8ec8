package dev.lifeboat.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link ObjectStore} for job tests until the real-S3 harness exists (interim; the
 * same tests are to run against S3Proxy). It records every delete in order ({@link #deletions()}),
 * can refuse to delete chosen keys ({@link #denyDelete}) and holds unfinished uploads.
 */
public final class MemoryStore implements ObjectStore {
    private record Stored(byte[] data, Instant lastModified, Map<String, String> metadata) {}

    private final TreeMap<String, Stored> objects = new TreeMap<>();
    private final Map<String, Unfinished> unfinished = new LinkedHashMap<>();
    private final List<String> deletions = new ArrayList<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** The time that new objects get as last-modified. */
    public synchronized void setNow(Instant now) {
        this.now = now;
    }

    /** Adds an object as if written at {@code lastModified}; {@code metadata} empty = written by another tool. */
    public synchronized void add(String key, long size, Instant lastModified, Map<String, String> metadata) {
        objects.put(key, new Stored(new byte[(int) Math.min(size, 64)], lastModified, Map.copyOf(metadata)));
    }

    public synchronized void addUnfinished(Unfinished upload) {
        unfinished.put(upload.uploadId(), upload);
    }

    public void denyDelete(String key) {
        denied.add(key);
    }

    public synchronized List<String> deletions() {
        return List.copyOf(deletions);
    }

    public synchronized Set<String> keys() {
        return Set.copyOf(objects.keySet());
    }

    public synchronized List<Unfinished> allUnfinished() {
        return List.copyOf(unfinished.values());
    }

    @Override
    public synchronized PendingObject create(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        if (objects.containsKey(key)) throw new FileAlreadyExistsException(key);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new PendingObject() {
            boolean done;

            @Override
            public OutputStream stream() {
                return buffer;
            }

            @Override
            public ObjectInfo commit() throws IOException {
                synchronized (MemoryStore.this) {
                    if (objects.containsKey(key)) throw new FileAlreadyExistsException(key);
                    objects.put(key, new Stored(buffer.toByteArray(), now, Map.copyOf(metadata)));
                    done = true;
                    return info(key, objects.get(key), true);
                }
            }

            @Override
            public void abort() {
                done = true;
            }
        };
    }

    @Override
    public synchronized ObjectInfo replace(String key, byte[] data, Map<String, String> metadata) {
        objects.put(key, new Stored(data.clone(), now, Map.copyOf(metadata)));
        return info(key, objects.get(key), true);
    }

    @Override
    public synchronized InputStream open(String key, long offset) throws IOException {
        Stored s = objects.get(key);
        if (s == null) throw new NoSuchFileException(key);
        return new ByteArrayInputStream(s.data, (int) offset, s.data.length - (int) offset);
    }

    @Override
    public synchronized Optional<ObjectInfo> stat(String key) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(info(key, s, true));
    }

    @Override
    public synchronized List<ObjectInfo> list(String prefix) {
        List<ObjectInfo> out = new ArrayList<>();
        for (Map.Entry<String, Stored> e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) break;
            out.add(info(e.getKey(), e.getValue(), false));
        }
        return out;
    }

    @Override
    public synchronized void delete(String key) throws IOException {
        if (denied.contains(key)) throw new IOException("AccessDenied: " + key);
        deletions.add(key);
        objects.remove(key);
    }

    @Override
    public synchronized Map<String, String> deleteAll(List<String> keys) {
        Map<String, String> failed = new HashMap<>();
        for (String k : keys) {
            try {
                delete(k);
            } catch (IOException e) {
                failed.put(k, e.getMessage());
            }
        }
        return failed;
    }

    @Override
    public synchronized void copy(String fromKey, String toKey, Map<String, String> metadata) throws IOException {
        Stored s = objects.get(fromKey);
        if (s == null) throw new NoSuchFileException(fromKey);
        objects.put(toKey, new Stored(s.data, now, Map.copyOf(metadata)));
    }

    @Override
    public synchronized List<Unfinished> unfinished(String prefix) {
        return unfinished.values().stream().filter(u -> u.key().startsWith(prefix)).toList();
    }

    @Override
    public synchronized void abort(Unfinished upload) {
        deletions.add("abort " + upload.key());
        unfinished.remove(upload.uploadId());
    }

    @Override
    public String describe() {
        return "memory:";
    }

    @Override
    public void close() {}

    private static ObjectInfo info(String key, Stored s, boolean withMetadata) {
        return new ObjectInfo(key, s.data.length, s.lastModified, null, withMetadata ? s.metadata : Map.of());
    }
}
