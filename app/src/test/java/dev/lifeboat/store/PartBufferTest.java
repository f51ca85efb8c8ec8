package dev.lifeboat.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A part buffer holds exactly what was written, whether or not the expected size was right. */
class PartBufferTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] fill(PartBuffer buffer, byte[] data, int chunk, long limit) throws IOException {
        for (int off = 0; off < data.length; ) {
            int n = buffer.write(data, off, Math.min(chunk, data.length - off), limit);
            if (n == 0) break;
            off += n;
        }
        return data;
    }

    @Test
    void growsBlockByBlockAndReadsAgainForARetry() throws IOException {
        byte[] data = random(3 * PartBuffer.BLOCK + 123);
        PartBuffer buffer = new PartBuffer();
        fill(buffer, data, 7_777, Long.MAX_VALUE);
        assertEquals(data.length, buffer.size());
        assertArrayEquals(data, buffer.newStream().readAllBytes());
        assertArrayEquals(data, buffer.newStream().readAllBytes(), "a retry reads the same bytes again");
    }

    @Test
    void reuseAfterClear() throws IOException {
        byte[] small = random(20_000);
        PartBuffer buffer = new PartBuffer();
        fill(buffer, small, 4096, Long.MAX_VALUE);
        assertArrayEquals(small, buffer.newStream().readAllBytes());
        buffer.clear();
        byte[] next = random(PartBuffer.BLOCK + 5);
        fill(buffer, next, 65_536, Long.MAX_VALUE);
        assertArrayEquals(next, buffer.newStream().readAllBytes());
    }

    @Test
    void theLimitStopsWrites() throws IOException {
        byte[] data = random(5000);
        PartBuffer buffer = new PartBuffer();
        assertEquals(1000, buffer.write(data, 0, 5000, 1000));
        assertEquals(0, buffer.write(data, 1000, 10, 1000));
        assertEquals(1000, buffer.size());
        byte[] first = new byte[1000];
        System.arraycopy(data, 0, first, 0, 1000);
        assertArrayEquals(first, buffer.newStream().readAllBytes());
    }

    @Test
    void aSmallObjectOfKnownSizeHoldsOnlyItsSizeAndMoreThanTheHintStillFits() throws IOException {
        byte[] small = random(30_000);
        PartBuffer buffer = new PartBuffer(Long.MAX_VALUE, null, small.length);
        fill(buffer, small, 4096, Long.MAX_VALUE);
        assertArrayEquals(small, buffer.newStream().readAllBytes());
        assertEquals(30_000, buffer.heapBytes(), "not a whole 1 MiB block");
        byte[] more = random(2 * PartBuffer.BLOCK + 17);
        PartBuffer under = new PartBuffer(Long.MAX_VALUE, null, 30_000);
        fill(under, more, 7_777, Long.MAX_VALUE);
        assertArrayEquals(more, under.newStream().readAllBytes(), "a hint that was too small only costs a copy");
        assertEquals(3L * PartBuffer.BLOCK, under.heapBytes());
    }
}
