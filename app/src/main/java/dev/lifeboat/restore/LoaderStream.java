package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One loader of {@link SplitLoad}: a pg_restore, the pipe to it and the thread that feeds it (the
 * archive's header and table of contents first, then what the distributor frames), and the
 * buffer being filled: data blocks, and in them chunks ({@code [length][bytes]}, length written
 * when the chunk is closed). Not thread-safe: one distributor thread frames, the feeder writes.
 */
final class LoaderStream {
    final PgChild child;
    final ChunkPipe pipe;
    final Thread feeder;
    final int size;
    /** The archive's integer size (pg_dump's WriteInt: a sign byte, then this many bytes, least significant first). */
    private final int intSize;
    private final TocHead head;
    /** Writing to pg_restore failed: it stopped reading. */
    volatile IOException failure;
    /** lifeboat could not give it its stream. */
    volatile RuntimeException ownFailure;
    private byte[] buf;
    private int len;
    private int chunkStart = -1;

    LoaderStream(PgChild child, ChunkPipe pipe, int size, int intSize, TocHead head) {
        this.child = child;
        this.pipe = pipe;
        this.size = size;
        this.intSize = intSize;
        this.head = head;
        this.buf = pipe.pool().get(size);
        this.feeder = new Thread(this::feed, "lifeboat-load-feed");
        feeder.setDaemon(true);
        feeder.start();
    }

    private void feed() {
        try (InputStream closesThePipe = pipe.source(); OutputStream out = child.stdin()) {
            head.writeTo(out);
            pipe.drainTo(out);
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            ownFailure = e;
        }
    }

    private int header() {
        return 1 + intSize;
    }

    void put(int b) {
        room(1);
        buf[len++] = (byte) b;
    }

    void putInt(long v) {
        room(header());
        len = writeInt(buf, len, v);
    }

    private int writeInt(byte[] to, int at, long v) {
        to[at++] = (byte) (v < 0 ? 1 : 0);
        long a = Math.abs(v);
        for (int i = 0; i < intSize; i++) to[at++] = (byte) (a >>> (8 * i));
        return at;
    }

    /** Starts a chunk: its length is written when it is closed. */
    void openChunk() {
        room(header() + 1);
        chunkStart = len;
        len += header();
    }

    int chunkLength() {
        return chunkStart < 0 ? 0 : len - chunkStart - header();
    }

    void closeChunk() {
        if (chunkStart < 0) return;
        int n = len - chunkStart - header();
        if (n == 0) len = chunkStart;
        else writeInt(buf, chunkStart, n);
        chunkStart = -1;
    }

    /** Appends to the open chunk; a full buffer closes it, goes out, and the chunk goes on in the next. */
    void append(byte[] b, int off, int n) {
        while (n > 0) {
            if (len == buf.length) {
                closeChunk();
                push();
                openChunk();
            }
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    /** Makes room for {@code n} bytes outside a chunk. */
    private void room(int n) {
        if (buf.length - len < n) push();
    }

    /** Hands the buffer to the pipe (unless empty) and takes a fresh one. */
    void push() {
        if (failure != null || ownFailure != null) throw failed();
        if (len == 0) return;
        try {
            pipe.put(new ChunkPipe.Chunk(buf, len));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf = pipe.pool().get(size);
        len = 0;
    }

    /** This loader's pg_restore stopped taking its stream: its own words. */
    RuntimeException failed() {
        if (ownFailure != null) return ownFailure;
        try {
            int code = child.waitFor();
            if (code != 0) return LifeboatException.failed("pg_restore failed (exit " + code + "): " + child.errorText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return LifeboatException.failed("pg_restore stopped reading its data: " + failure.getMessage(), failure);
    }
}
