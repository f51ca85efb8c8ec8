package dev.lifeboat.stage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on several threads: the input is cut into independent blocks, each block is deflated
 * by one of {@code workers} threads, and each is written, in order, as a gzip member of its
 * own (header, deflate data, CRC32, ISIZE). The result is standard multi-member gzip, which
 * {@code gunzip}, {@code gzip -t} and commons-compress (with decompressConcatenated) read to
 * the end. Memory stays bounded: at most {@code 2 * workers} blocks are in flight. Blocks are
 * compressed by the system's libdeflate when it is installed ({@link LibDeflate}, same format,
 * several times less CPU), else by {@link Deflater} (zlib).
 *
 * <p>Data reaches {@code downstream} as blocks complete; {@link #flush()} does not cut a
 * block. {@link #close()} compresses the last block, writes everything, stops the threads,
 * closes {@code downstream} once, and reports the first error (a worker's error is also
 * reported by the next write). A second close does nothing. Threads are daemons and are
 * stopped by close.
 */
public final class ParallelGzipOutputStream extends OutputStream {
    public static final int DEFAULT_BLOCK_SIZE = 1 << 20;

    private final OutputStream downstream;
    private final int level;
    private final int blockSize;
    private final int maxInFlight;
    private final ExecutorService executor;
    private final BlockingQueue<Deflater> deflaters;
    private final BlockingQueue<LibDeflate.Compressor> compressors;
    private final boolean useLibdeflate;
    private final BlockingQueue<byte[]> freeBlocks;
    private final BlockingQueue<byte[]> freeMembers;
    private final ArrayDeque<Future<Member>> inFlight = new ArrayDeque<>();
    private final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private byte[] block;
    private int filled;
    private boolean wroteMember;
    private IOException failure;
    private boolean closed;

    public ParallelGzipOutputStream(OutputStream downstream, int level, int workers) {
        this(downstream, level, workers, DEFAULT_BLOCK_SIZE);
    }

    public ParallelGzipOutputStream(OutputStream downstream, int level, int workers, int blockSize) {
        this(downstream, level, workers, blockSize, LibDeflate.load().orElse(null));
    }

    /** {@code libdeflate} null: zlib through {@link Deflater}. */
    public ParallelGzipOutputStream(OutputStream downstream, int level, int workers, int blockSize, LibDeflate libdeflate) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
        if (level < 0 || level > 9) throw new IllegalArgumentException("gzip level must be 0..9");
        if (blockSize < 1024) throw new IllegalArgumentException("block size must be at least 1024");
        this.downstream = Objects.requireNonNull(downstream);
        this.level = level;
        this.blockSize = blockSize;
        this.maxInFlight = 2 * workers;
        this.deflaters = new ArrayBlockingQueue<>(workers);
        this.compressors = new ArrayBlockingQueue<>(workers);
        this.useLibdeflate = libdeflate != null;
        this.freeBlocks = new ArrayBlockingQueue<>(maxInFlight + 1);
        this.freeMembers = new ArrayBlockingQueue<>(maxInFlight + 1);
        for (int i = 0; i < workers; i++) {
            if (libdeflate != null) compressors.add(libdeflate.compressor(level));
            else deflaters.add(new Deflater(level, true));
        }
        String prefix = "lifeboat-gzip-";
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        this.block = new byte[blockSize];
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        block[filled++] = (byte) b;
        if (filled == blockSize) submitBlock();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            int n = Math.min(len, blockSize - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == blockSize) submitBlock();
        }
    }

    /** Writes the blocks already compressed and flushes downstream; the current block stays open. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        try {
            writeDone(false);
            downstream.flush();
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private void ensureOpen() throws IOException {
        if (failure != null) throw failure;
        if (closed) throw new IOException("stream closed");
    }

    private void submitBlock() throws IOException {
        byte[] full = block;
        int length = filled;
        try {
            while (inFlight.size() >= maxInFlight) writeHead();
            inFlight.add(executor.submit(() -> compress(full, length)));
            writeDone(false);
        } catch (IOException e) {
            throw fail(e);
        }
        byte[] reused = freeBlocks.poll();
        block = reused != null ? reused : new byte[blockSize];
        filled = 0;
    }

    /** Writes the finished blocks at the head of the queue; with {@code all}, waits for every block. */
    private void writeDone(boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.peek().isDone())) writeHead();
    }

    private void writeHead() throws IOException {
        Future<Member> head = inFlight.peek();
        Member member;
        try {
            member = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("gzip worker failed: " + cause, cause);
        }
        inFlight.poll();
        downstream.write(member.bytes(), 0, member.length());
        wroteMember = true;
        if (member.bytes().length >= memberCapacity()) freeMembers.offer(member.bytes());
    }

    /** A compressed member: {@code bytes[0, length)}. Its array is reused once written. */
    private record Member(byte[] bytes, int length) {}

    /** Room for any block's member: deflate's worst case for stored blocks plus header and trailer. */
    private int memberCapacity() {
        return 10 + blockSize + (blockSize >> 12) * 5 + 64 + 8;
    }

    /** One gzip member holding {@code data[0, length)}; runs on a worker thread. */
    private Member compress(byte[] data, int length) throws InterruptedException {
        if (useLibdeflate) return compressWithLibdeflate(data, length);
        Deflater deflater = deflaters.take();
        try {
            deflater.reset();
            deflater.setInput(data, 0, length);
            deflater.finish();
            byte[] out = freeMembers.poll();
            if (out == null) out = new byte[memberCapacity()];
            writeHeader(out);
            int pos = 10;
            while (!deflater.finished()) {
                if (pos == out.length - 8) out = Arrays.copyOf(out, out.length * 2);
                pos += deflater.deflate(out, pos, out.length - 8 - pos);
            }
            CRC32 crc = new CRC32();
            crc.update(data, 0, length);
            writeIntLE(out, pos, (int) crc.getValue());
            writeIntLE(out, pos + 4, length);
            return new Member(out, pos + 8);
        } finally {
            deflaters.add(deflater);
            if (data.length == blockSize) freeBlocks.offer(data);
        }
    }

    /** The same member, compressed by libdeflate (its own header: mtime 0, no name). */
    private Member compressWithLibdeflate(byte[] data, int length) throws InterruptedException {
        LibDeflate.Compressor c = compressors.take();
        try {
            byte[] out = freeMembers.poll();
            int bound = c.bound(blockSize);
            if (out == null || out.length < bound) out = new byte[Math.max(bound, memberCapacity())];
            return new Member(out, c.gzip(data, length, out));
        } finally {
            compressors.add(c);
            if (data.length == blockSize) freeBlocks.offer(data);
        }
    }

    private void writeHeader(byte[] out) {
        out[0] = (byte) 0x1f;
        out[1] = (byte) 0x8b;
        out[2] = 8; // deflate
        out[3] = 0; // no flags, no name, mtime 0
        out[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
        out[9] = (byte) 255; // OS unknown
    }

    private static void writeIntLE(byte[] out, int pos, int v) {
        out[pos] = (byte) v;
        out[pos + 1] = (byte) (v >>> 8);
        out[pos + 2] = (byte) (v >>> 16);
        out[pos + 3] = (byte) (v >>> 24);
    }

    private IOException fail(IOException e) {
        if (failure == null) failure = e;
        return failure;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        IOException first = failure == null ? null
                : new IOException("the gzip stream failed earlier: " + failure.getMessage(), failure);
        try {
            if (first == null) {
                if (filled > 0 || (!wroteMember && inFlight.isEmpty())) {
                    byte[] last = block;
                    int length = filled;
                    inFlight.add(executor.submit(() -> compress(last, length)));
                }
                writeDone(true);
            }
        } catch (IOException e) {
            first = e;
        } finally {
            stopWorkers();
        }
        try {
            downstream.close();
        } catch (IOException e) {
            if (first == null) first = e;
            else first.addSuppressed(e);
        }
        if (first != null) {
            if (failure == null) failure = first;
            throw first;
        }
    }

    private void stopWorkers() {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
            // the pool reports termination while its last thread is still returning: wait for the threads themselves
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deflaters.forEach(Deflater::end);
        compressors.forEach(LibDeflate.Compressor::close);
    }
}
