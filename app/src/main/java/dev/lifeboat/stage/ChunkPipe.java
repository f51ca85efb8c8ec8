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
 */
public final class ChunkPipe {
    private static final Chunk END = new Chunk(new byte[0], 0);
    private final BlockingQueue<Chunk> queue;
    private final BlockingQueue<byte[]> free;
    private volatile boolean readerClosed;

    private record Chunk(byte[] bytes, int length) {}

    public ChunkPipe(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.free = new ArrayBlockingQueue<>(capacity + 2);
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
                byte[] chunk = free.poll();
                if (chunk == null || chunk.length < len) chunk = new byte[Math.max(len, 1 << 16)];
                System.arraycopy(b, off, chunk, 0, len);
                put(new Chunk(chunk, len));
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    put(END);
                }
            }
        };
    }

    private void put(Chunk chunk) throws IOException {
        try {
            while (!readerClosed) {
                if (queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    public InputStream source() {
        return new InputStream() {
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
                    if (ended) return -1;
                    if (current.length() > 0) free.offer(current.bytes());
                    try {
                        current = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted");
                    }
                    pos = 0;
                    if (current == END) {
                        ended = true;
                        return -1;
                    }
                }
                int n = Math.min(len, current.length() - pos);
                System.arraycopy(current.bytes(), pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                readerClosed = true;
                queue.clear();
            }
        };
    }
}
