package dev.lifeboat.restore;

import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.TocEntry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The decoded archive written to a spool file as it arrives, and read back while it grows by
 * several followers at their own pace: each gets the header and table of contents and then only
 * the data blocks it was given, each as soon as its bytes are on disk (a big table starts loading
 * while it is still being decoded). Where the table of contents and the blocks are comes from
 * {@link ArchiveReader}, reading a tee of the same stream ({@link #listener()}).
 *
 * <p>One monitor guards the progress of the writer, of the reader and of a failure; every change
 * wakes the followers.
 */
final class SpoolFollow implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private long written;
    private boolean writerDone;
    private IOException failure;
    private List<TocEntry> toc;
    private long tocEnd = -1;
    /** Data blocks in stream order: dump id, start, end (-1 until known). */
    private final List<long[]> blocks = new ArrayList<>();
    private boolean readerDone;
    /** The reader has read the stream up to here (always inside or at the end of the last block announced). */
    private long readerAt;

    SpoolFollow(Path file) throws IOException {
        this.file = file;
        this.out = java.nio.file.Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    Path file() {
        return file;
    }

    /** The writer: the next bytes of the stream. */
    void write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        synchronized (this) {
            written += len;
            notifyAll();
        }
    }

    /** The writer reached the end of the stream. */
    void finishWriting() throws IOException {
        out.close();
        synchronized (this) {
            writerDone = true;
            notifyAll();
        }
    }

    /** Stops every follower with {@code why}. */
    synchronized void fail(IOException why) {
        if (failure == null) failure = why;
        notifyAll();
    }

    /** The reader's findings, as it goes. */
    ArchiveReader.Listener listener() {
        return new ArchiveReader.Listener() {
            @Override
            public void tocRead(List<TocEntry> entries, long end) {
                synchronized (SpoolFollow.this) {
                    toc = entries;
                    tocEnd = end;
                    SpoolFollow.this.notifyAll();
                }
            }

            @Override
            public void blockStart(int dumpId, long start) {
                synchronized (SpoolFollow.this) {
                    blocks.add(new long[] {dumpId, start, -1});
                    SpoolFollow.this.notifyAll();
                }
            }

            @Override
            public void blockEnd(int dumpId, long end) {
                synchronized (SpoolFollow.this) {
                    blocks.get(blocks.size() - 1)[2] = end;
                    readerAt = end;
                    SpoolFollow.this.notifyAll();
                }
            }

            @Override
            public void readUpTo(long position) {
                synchronized (SpoolFollow.this) {
                    readerAt = position;
                    SpoolFollow.this.notifyAll();
                }
            }
        };
    }

    /** The reader is done (to its end, or failed): no more blocks will be announced. */
    synchronized void readerDone() {
        readerDone = true;
        notifyAll();
    }

    /** The table of contents, once read; null when the stream ended (or failed) before it. */
    synchronized List<TocEntry> awaitToc() throws IOException {
        while (toc == null && !readerDone) await();
        return toc;
    }

    synchronized long tocEnd() {
        return tocEnd;
    }

    /** Copies the header and table of contents into {@code target} (for the pre- and post-data sections). */
    void copyToc(Path target) throws IOException {
        long end = tocEnd();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel to = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            awaitWritten(end);
            long done = 0;
            while (done < end) done += in.transferTo(done, end - done, to);
        }
    }

    /**
     * Feeds one follower: the header and table of contents, then the data blocks of {@code mine}
     * in stream order, each as far as the reader has read it (so never a byte past its end);
     * returns at the end of the stream.
     */
    void follow(Set<Integer> mine, OutputStream to) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            copy(in, 0, tocEnd(), to, buf);
            for (int i = 0; ; i++) {
                long[] block = awaitBlock(i);
                if (block == null) return;
                if (!mine.contains((int) block[0])) continue;
                long pos = block[1];
                while (true) {
                    long limit = awaitLimit(i, pos);
                    copy(in, pos, limit, to, buf);
                    pos = limit;
                    if (pos == blockEnd(i)) break;
                }
            }
        }
    }

    private void copy(FileChannel in, long from, long to, OutputStream out, ByteBuffer buf) throws IOException {
        long pos = from;
        while (pos < to) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
            int n = in.read(buf, pos);
            if (n < 0) throw new IOException("the spool file " + file + " ends at byte " + pos + " (expected " + to + ")");
            out.write(buf.array(), 0, n);
            pos += n;
        }
    }

    private synchronized long[] awaitBlock(int i) throws IOException {
        while (blocks.size() <= i && !readerDone) await();
        return blocks.size() > i ? blocks.get(i).clone() : null;
    }

    private synchronized long blockEnd(int i) {
        return blocks.get(i)[2];
    }

    /** Waits until the writer has written {@code pos} bytes. */
    private synchronized void awaitWritten(long pos) throws IOException {
        while (written < pos && !writerDone) await();
        if (written < pos) throw new IOException("the stream ended at byte " + written + ", before byte " + pos);
    }

    /**
     * How far block {@code i} may be copied from {@code pos}: to its end once known, else as far
     * as the reader has read (a whole chunk of it, so a byte of the block); waits for progress.
     */
    private synchronized long awaitLimit(int i, long pos) throws IOException {
        while (true) {
            long end = blocks.get(i)[2];
            if (end >= 0) return end;
            if (readerAt > pos) return readerAt;
            if (readerDone) throw new IOException("the archive ends inside the data block of entry " + blocks.get(i)[0]);
            await();
        }
    }

    /** Waits for any change; a failure elsewhere, or an interrupt, ends the wait with an exception. */
    private void await() throws IOException {
        if (failure != null) throw failure;
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (failure != null) throw failure;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
