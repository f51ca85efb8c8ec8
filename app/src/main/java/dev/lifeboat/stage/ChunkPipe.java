package dev.lifeboat.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-memory pipe between two threads (memory: at most {@code capacity} chunks). The
 * reading side closing early makes further writes a no-op (its result is what it read), so a
 * consumer that stops never blocks the producer.
 */
public final class ChunkPipe {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> queue;
    private volatile boolean readerClosed;

    public ChunkPipe(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
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
                if (len > 0) put(Arrays.copyOfRange(b, off, off + len));
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

    private void put(byte[] chunk) throws IOException {
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
            private byte[] current = new byte[0];
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
                while (pos >= current.length) {
                    if (ended) return -1;
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
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
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
