package dev.lifeboat.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-memory pipe between two threads (memory: at most {@code capacity} chunks in the
 * queue, plus one being written and one being read; chunk arrays are reused, so a long stream
 * makes no garbage). The reading side closing early makes further writes a no-op (its result is
 * what it read), so a consumer that stops never blocks the producer.
 *
 * <p>Besides the stream views ({@link #sink()}, {@link #source()}), whole chunks can be handed
 * on without copying: {@link #readFrom} fills chunks straight from an input stream,
 * {@link #take} and {@link #put} pass a chunk's array from one pipe to the next, and the last
 * holder gives it back with {@link Pool#release}. Pipes that pass chunks along share one
 * {@link Pool}; the arrays in circulation are bounded by the pipes' capacities.
 */
public final class ChunkPipe {
    /** Size of the chunks {@link #readFrom} fills. */
    public static final int CHUNK = 1 << 20;
    private static final Chunk END = new Chunk(new byte[0], 0);
    private final BlockingQueue<Chunk> queue;
    private final Pool pool;
    private volatile boolean readerClosed;

    /** A filled array: the first {@code length} bytes are data. */
    public record Chunk(byte[] bytes, int length) {}

    /** Arrays for reuse; an array given back when the pool is full is left to the collector. */
    public static final class Pool {
        private final BlockingQueue<byte[]> free;

        public Pool(int size) {
            free = new ArrayBlockingQueue<>(size);
        }

        /** An array of at least {@code atLeast} bytes: a given-back one if it is large enough, else a new one. */
        public byte[] get(int atLeast) {
            byte[] b = free.poll();
            return b == null || b.length < atLeast ? new byte[Math.max(atLeast, 1 << 16)] : b;
        }

        public void release(byte[] bytes) {
            if (bytes.length > 0) free.offer(bytes);
        }
    }

    public ChunkPipe(int capacity) {
        this(capacity, new Pool(capacity + 2));
    }

    public ChunkPipe(int capacity, Pool pool) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** The chunks waiting in the queue now. */
    public int queued() {
        return queue.size();
    }

    public OutputStream sink() {
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len <= 0 || readerClosed) return;
                byte[] chunk = pool.get(len);
                System.arraycopy(b, off, chunk, 0, len);
                enqueue(new Chunk(chunk, len));
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    end();
                }
            }
        };
    }

    /** Hands {@code chunk} on (no copy); it belongs to the pipe now. */
    public void put(Chunk chunk) throws IOException {
        if (chunk.length() <= 0) {
            pool.release(chunk.bytes());
            return;
        }
        enqueue(chunk);
    }

    /** Marks the end of the stream (once; what {@code sink().close()} does). */
    public void end() throws IOException {
        enqueue(END);
    }

    /**
     * Fills chunks from {@code in} until its end and hands each on, then marks the end: the
     * producer side of the pipe without a copy. Returns the bytes read.
     */
    public long readFrom(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            byte[] chunk = pool.get(CHUNK);
            int n = in.readNBytes(chunk, 0, CHUNK);
            if (n <= 0) {
                pool.release(chunk);
                break;
            }
            total += n;
            enqueue(new Chunk(chunk, n));
        }
        end();
        return total;
    }

    private void enqueue(Chunk chunk) throws IOException {
        try {
            while (!readerClosed) {
                if (queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
                    if (readerClosed) drop();
                    return;
                }
            }
            if (chunk != END) pool.release(chunk.bytes());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * The next chunk, or null at the end of the stream. The caller owns its array: it passes it
     * to another pipe ({@link #put}) or gives it back ({@link Pool#release}).
     */
    public Chunk take() throws IOException {
        try {
            Chunk c = queue.take();
            return c == END ? null : c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * The consumer side to its end: writes every chunk to {@code out} (giving each array back),
     * then closes the reading side, also when a write fails (so the producer never blocks on it).
     * Does not close {@code out}.
     */
    public void drainTo(OutputStream out) throws IOException {
        try (Source closes = source()) {
            Chunk c;
            while ((c = take()) != null) {
                try {
                    out.write(c.bytes(), 0, c.length());
                } finally {
                    pool.release(c.bytes());
                }
            }
        }
    }

    /** The chunks left in the queue go back to the pool. */
    private void drop() {
        Chunk c;
        while ((c = queue.poll()) != null) {
            if (c != END) pool.release(c.bytes());
        }
    }

    public Source source() {
        return new Source();
    }

    /**
     * The reading side as a stream; {@link #next} instead gives the chunks themselves (each
     * valid until the following call), for a reader that parses them where they are.
     */
    public final class Source extends InputStream {
        private Chunk current = new Chunk(new byte[0], 0);
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos >= current.length()) {
                if (next() == null) return -1;
                pos = 0;
            }
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.bytes(), pos, b, off, n);
            pos += n;
            return n;
        }

        /** Gives the previous chunk back and returns the next one whole, or null at the end. */
        public Chunk next() throws IOException {
            if (ended) return null;
            pool.release(current.bytes());
            current = new Chunk(new byte[0], 0);
            pos = 0;
            Chunk c = take();
            if (c == null) {
                ended = true;
                return null;
            }
            current = c;
            pos = c.length(); // consumed by whoever asked for it whole
            return c;
        }

        @Override
        public void close() {
            readerClosed = true;
            drop();
        }
    }
}
