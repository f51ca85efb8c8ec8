package dev.lifeboat.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A streaming upload: small objects become one PutObject at commit; anything that fills a part
 * becomes a multipart upload whose parts (all {@code partSize} bytes but the last) upload on
 * {@code plan.inFlight()} threads while the writer fills the next one. At most
 * {@code plan.buffers()} part buffers exist, each holding at most {@code plan.memoryPerBuffer()}
 * bytes in the heap (the rest of a larger part is spooled to a temporary file). Closing without a
 * commit aborts the multipart upload.
 */
final class S3Upload implements PendingObject {
    static final int MAX_PARTS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(S3Upload.class);

    private final S3Writer store;
    private final String key;
    private final Map<String, String> metadata;
    /** The MD5 (hex) the whole content should have, or null: sent for the store to check when the object is one PUT. */
    private final String expectedMd5;
    private final long partSize;
    private final int inFlight;
    private final PartPlan plan;
    private final java.nio.file.Path spoolDir;
    private final List<PartBuffer> made = new ArrayList<>();
    private final BlockingQueue<PartBuffer> free;
    private final ConcurrentSkipListMap<Integer, CompletedPart> done = new ConcurrentSkipListMap<>();
    private final List<Future<?>> pending = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final OutputStream stream = new PartStream();
    private PartBuffer current;
    private ExecutorService executor;
    private String uploadId;
    private int partNumber;
    private long total;
    private boolean finished;

    S3Upload(S3Writer store, String key, Map<String, String> metadata, String expectedMd5, long sizeHint, PartPlan plan,
             java.nio.file.Path spoolDir) {
        this.store = store;
        this.key = key;
        this.metadata = Map.copyOf(metadata);
        this.expectedMd5 = expectedMd5;
        this.plan = plan;
        this.spoolDir = spoolDir;
        this.partSize = plan.partSize();
        this.inFlight = plan.inFlight();
        this.free = new ArrayBlockingQueue<>(plan.buffers());
        this.current = newBuffer(sizeHint);
    }

    /** A part buffer; the first is sized for {@code sizeHint} (-1 when unknown), the ones after for whole parts. */
    private PartBuffer newBuffer(long sizeHint) {
        PartBuffer b = new PartBuffer(plan.spooled() ? plan.memoryPerBuffer() : Long.MAX_VALUE, plan.spooled() ? spoolDir : null, sizeHint);
        made.add(b);
        return b;
    }

    /** Releases the buffers' spool files (call once no part uploads any more). */
    private void releaseBuffers() {
        for (PartBuffer b : made) {
            try {
                b.close();
            } catch (RuntimeException e) {
                log.debug("could not close a spooled part of {}: {}", key, e.getMessage());
            }
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public synchronized ObjectInfo commit() throws IOException {
        if (finished) throw new IOException("s3://" + store.bucket() + "/" + key + ": upload already committed or aborted");
        String etag;
        if (uploadId == null) {
            etag = store.putNew(key, current::newStream, current.size(), metadata, expectedMd5);
        } else {
            if (current.size() > 0) sendPart();
            waitForParts();
            etag = store.completeMultipart(key, uploadId, new ArrayList<>(done.values()));
            shutdownExecutor();
        }
        finished = true;
        releaseBuffers();
        return new ObjectInfo(key, total, Instant.now(), etag, metadata);
    }

    @Override
    public synchronized void abort() {
        if (finished) return;
        finished = true;
        for (Future<?> f : pending) f.cancel(true);
        shutdownExecutor();
        // Often called on a thread that was interrupted (a stopped run): the SDK refuses to send
        // a request from such a thread, so the flag is set aside until the abort is done.
        boolean interrupted = Thread.interrupted();
        try {
            if (executor != null) {
                try {
                    // a part still in flight could otherwise land after the abort and keep the upload alive
                    executor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (uploadId != null) {
                try {
                    store.abortMultipart(key, uploadId);
                } catch (IOException | RuntimeException e) {
                    log.warn("could not abort the upload of {} ({}); it stays listed as unfinished", key, e.getMessage());
                }
            }
        } finally {
            releaseBuffers();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (finished) throw new IOException("s3://" + store.bucket() + "/" + key + ": upload already committed or aborted");
        while (len > 0) {
            int n = current.write(b, off, len, partSize);
            off += n;
            len -= n;
            total += n;
            if (current.size() == partSize) sendPart();
        }
    }

    /** Hands the full buffer to an upload thread and takes a free one (waiting while inFlight parts upload). */
    private void sendPart() throws IOException {
        rethrowFailure();
        if (partNumber == MAX_PARTS) {
            throw new IOException("s3://" + store.bucket() + "/" + key + ": more than " + MAX_PARTS + " parts of "
                    + partSize + " bytes; the size hint was too small for this object");
        }
        if (uploadId == null) {
            uploadId = store.startMultipart(key, metadata);
            executor = Executors.newFixedThreadPool(inFlight, r -> {
                Thread t = new Thread(r, "s3-upload-" + key);
                t.setDaemon(true);
                return t;
            });
        }
        PartBuffer full = current;
        int number = ++partNumber;
        pending.add(executor.submit(() -> {
            try {
                if (failure.get() == null) done.put(number, store.uploadPart(key, uploadId, number, full));
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                full.clear();
                free.add(full);
            }
        }));
        current = nextBuffer();
    }

    private PartBuffer nextBuffer() throws IOException {
        PartBuffer b = free.poll();
        if (b != null) return b;
        if (made.size() < plan.buffers()) return newBuffer(-1);
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload of " + key + " interrupted");
        }
    }

    private void waitForParts() throws IOException {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("upload of " + key + " interrupted");
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
        rethrowFailure();
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t instanceof IOException io) throw new IOException(io.getMessage(), io);
        if (t instanceof SdkException se) throw S3Errors.translate(store.bucket(), key, "upload", se);
        if (t != null) throw new IOException("s3://" + store.bucket() + "/" + key + ": upload failed: " + t, t);
    }

    private void shutdownExecutor() {
        if (executor != null) executor.shutdownNow();
    }

    private final class PartStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (S3Upload.this) {
                S3Upload.this.write(b, off, len);
            }
        }
    }
}
