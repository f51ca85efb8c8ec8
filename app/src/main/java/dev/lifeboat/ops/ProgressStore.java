package dev.lifeboat.ops;

import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;
import dev.lifeboat.store.Unfinished;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress as a store wrapper with the same interface: every byte read from or written to the
 * store is counted, and one progress line (live on a terminal, a log line every 30 s in cron)
 * shows the total for the run. The jobs know nothing of it; a command wraps its store.
 */
public final class ProgressStore implements ObjectStore {
    private final ObjectStore store;
    private final AtomicLong bytes = new AtomicLong();
    private final Progress progress;

    private ProgressStore(ObjectStore store, RunContext ctx, String stage) {
        this.store = store;
        this.progress = ctx.progress(stage, bytes::get);
    }

    /** Counts the run's transfer from and to {@code store} under {@code stage} ("download", "copy"). */
    public static ProgressStore wrap(ObjectStore store, RunContext ctx, String stage) {
        return new ProgressStore(store, ctx, stage);
    }

    @Override
    public PendingObject create(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        return counted(store.create(key, metadata, sizeHint));
    }

    @Override
    public PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        return counted(store.createAbsent(key, metadata, sizeHint));
    }

    @Override
    public PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint, String expectedMd5) throws IOException {
        return counted(store.createAbsent(key, metadata, sizeHint, expectedMd5));
    }

    private PendingObject counted(PendingObject p) {
        OutputStream counted = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                p.stream().write(b);
                bytes.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                p.stream().write(b, off, len);
                bytes.addAndGet(len);
            }

            @Override
            public void flush() throws IOException {
                p.stream().flush();
            }

            @Override
            public void close() throws IOException {
                p.stream().close();
            }
        };
        return new PendingObject() {
            @Override
            public OutputStream stream() {
                return counted;
            }

            @Override
            public ObjectInfo commit() throws IOException {
                return p.commit();
            }

            @Override
            public void abort() {
                p.abort();
            }
        };
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        return new FilterInputStream(store.open(key, offset)) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) bytes.incrementAndGet();
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) bytes.addAndGet(n);
                return n;
            }
        };
    }

    /** The wrapped store's own whole read (an S3 store's needs no SDK client), counted. */
    @Override
    public byte[] read(String key) throws IOException {
        byte[] data = store.read(key);
        bytes.addAndGet(data.length);
        return data;
    }

    @Override
    public ObjectInfo replace(String key, byte[] data, Map<String, String> metadata) throws IOException {
        ObjectInfo info = store.replace(key, data, metadata);
        bytes.addAndGet(data.length);
        return info;
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        return store.stat(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        return store.list(prefix);
    }

    @Override
    public List<ObjectInfo> list(String prefix, int threads) throws IOException {
        return store.list(prefix, threads);
    }

    @Override
    public void delete(String key) throws IOException {
        store.delete(key);
    }

    @Override
    public Map<String, String> deleteAll(List<String> keys) throws IOException {
        return store.deleteAll(keys);
    }

    @Override
    public void copy(String fromKey, String toKey, Map<String, String> metadata) throws IOException {
        store.copy(fromKey, toKey, metadata);
    }

    @Override
    public List<Unfinished> unfinished(String prefix) throws IOException {
        return store.unfinished(prefix);
    }

    @Override
    public void abort(Unfinished upload) throws IOException {
        store.abort(upload);
    }

    @Override
    public String describe() {
        return store.describe();
    }

    /** Ends the progress line; the wrapped store is closed by its owner. */
    @Override
    public void close() {
        progress.close();
    }
}
