package dev.lifeboat.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One multipart part being filled: a list of 1 MiB blocks, so a small object never allocates a
 * whole part; the first block is only as large as an expected small object (grown to 1 MiB if
 * more arrives). Reusable after {@link #clear()}; {@link #newStream()} may be called again for a retry.
 */
final class PartBuffer {
    static final int BLOCK = 1 << 20;
    private final List<byte[]> blocks = new ArrayList<>();
    private final int firstBlock;
    private long size;

    PartBuffer() {
        this(-1);
    }

    /** {@code expected}: the bytes this buffer will probably hold (-1: unknown). */
    PartBuffer(long expected) {
        this.firstBlock = expected >= 0 && expected < BLOCK ? (int) Math.max(1, expected) : BLOCK;
    }

    long size() {
        return size;
    }

    /** Copies up to {@code len} bytes, but never past {@code limit} in total; returns how many. */
    int write(byte[] b, int off, int len, long limit) {
        int n = (int) Math.min(len, limit - size);
        int done = 0;
        while (done < n) {
            int blockIndex = (int) (size / BLOCK);
            int inBlock = (int) (size % BLOCK);
            if (blockIndex == blocks.size()) blocks.add(new byte[blockIndex == 0 ? firstBlock : BLOCK]);
            else if (blockIndex == 0 && blocks.get(0).length < BLOCK && inBlock == blocks.get(0).length) {
                blocks.set(0, Arrays.copyOf(blocks.get(0), BLOCK));
            }
            int chunk = Math.min(n - done, blocks.get(blockIndex).length - inBlock);
            System.arraycopy(b, off + done, blocks.get(blockIndex), inBlock, chunk);
            done += chunk;
            size += chunk;
        }
        return n;
    }

    InputStream newStream() {
        List<InputStream> parts = new ArrayList<>();
        long left = size;
        for (byte[] block : blocks) {
            if (left <= 0) break;
            int n = (int) Math.min(block.length, left);
            parts.add(new ByteArrayInputStream(block, 0, n));
            left -= n;
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Empties the buffer; its blocks are kept for the next part. */
    void clear() {
        size = 0;
    }
}
