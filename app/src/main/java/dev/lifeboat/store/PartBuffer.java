package dev.lifeboat.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One multipart part being filled: a list of 1 MiB blocks, so a small object never allocates a
 * whole part. Past {@code memoryLimit} bytes the rest of the part goes to a temporary file in
 * {@code spoolDir} (unlinked as soon as it is created, so it never outlives the process), which
 * keeps the heap bounded when parts are larger than memory allows. Reusable after
 * {@link #clear()}; {@link #newStream()} may be called again for a retry. {@link #close()}
 * releases the file.
 */
final class PartBuffer implements AutoCloseable {
    static final int BLOCK = 1 << 20;
    private final List<byte[]> blocks = new ArrayList<>();
    private final long memoryLimit;
    /** The size of the first block: the expected size of a small object, so copying one does not allocate (and zero) 1 MiB. */
    private final int firstBlock;
    private final Path spoolDir;
    private FileChannel spool;
    private long size;

    /** A buffer held in memory whatever its size. */
    PartBuffer() {
        this(Long.MAX_VALUE, null);
    }

    /** At most {@code memoryLimit} bytes (rounded up to whole blocks) in memory, the rest in {@code spoolDir}. */
    PartBuffer(long memoryLimit, Path spoolDir) {
        this(memoryLimit, spoolDir, -1);
    }

    /**
     * The same for content of about {@code sizeHint} bytes (-1: unknown): below a block, the first
     * block is that large, and grows to a whole block only if more arrives.
     */
    PartBuffer(long memoryLimit, Path spoolDir, long sizeHint) {
        this.memoryLimit = spoolDir == null ? Long.MAX_VALUE : Math.max(BLOCK, (memoryLimit + BLOCK - 1) / BLOCK * BLOCK);
        this.spoolDir = spoolDir;
        this.firstBlock = sizeHint > 0 && sizeHint < BLOCK ? (int) sizeHint : BLOCK;
    }

    long size() {
        return size;
    }

    /** Copies up to {@code len} bytes, but never past {@code limit} in total; returns how many. */
    int write(byte[] b, int off, int len, long limit) throws IOException {
        int n = (int) Math.min(len, limit - size);
        int done = 0;
        while (done < n && size < memoryLimit) {
            int blockIndex = (int) (size / BLOCK);
            int inBlock = (int) (size % BLOCK);
            if (blockIndex == blocks.size()) blocks.add(new byte[blockIndex == 0 ? firstBlock : BLOCK]);
            byte[] block = blocks.get(blockIndex);
            if (inBlock == block.length) { // a short first block, and more than the hint arrives
                block = Arrays.copyOf(block, BLOCK);
                blocks.set(blockIndex, block);
            }
            int chunk = (int) Math.min(Math.min(n - done, block.length - inBlock), memoryLimit - size);
            System.arraycopy(b, off + done, block, inBlock, chunk);
            done += chunk;
            size += chunk;
        }
        if (done < n) {
            ByteBuffer bb = ByteBuffer.wrap(b, off + done, n - done);
            FileChannel f = spool();
            while (bb.hasRemaining()) size += f.write(bb, size - memoryLimit);
        }
        return n;
    }

    private FileChannel spool() throws IOException {
        if (spool == null) {
            Path file = Files.createTempFile(spoolDir, "lifeboat-part-", ".tmp");
            spool = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
        return spool;
    }

    InputStream newStream() {
        List<InputStream> parts = new ArrayList<>();
        long left = Math.min(size, memoryLimit);
        for (byte[] block : blocks) {
            if (left <= 0) break;
            int n = (int) Math.min(block.length, left);
            parts.add(new ByteArrayInputStream(block, 0, n));
            left -= n;
        }
        if (size > memoryLimit) parts.add(new SpoolStream(spool, size - memoryLimit));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Bytes of heap its blocks take. */
    long heapBytes() {
        long n = 0;
        for (byte[] b : blocks) n += b.length;
        return n;
    }

    /** Empties the buffer; its blocks (and file) are kept for the next part. */
    void clear() {
        size = 0;
    }

    @Override
    public void close() {
        if (spool == null) return;
        try {
            spool.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Positional reads of the first {@code length} bytes of the spool file. */
    private static final class SpoolStream extends InputStream {
        private final FileChannel file;
        private final long length;
        private long pos;

        SpoolStream(FileChannel file, long length) {
            this.file = file;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= length) return -1;
            int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, length - pos)), pos);
            if (n < 0) throw new IOException("spooled part ended early at byte " + pos + " of " + length);
            pos += n;
            return n;
        }
    }
}
