package dev.lifeboat.archive;

/**
 * Counts the rows of COPY text data: newline-terminated lines up to the {@code \.} end marker
 * that pg_dump writes after the data (a row of a table with no columns is an empty line, and
 * counts). Only the first two bytes of a line decide whether it is the marker (a small state
 * machine), so the rest of a line is a tight scan for its newline, sixteen bytes at a time.
 */
final class CopyRowCounter {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** Where the scan is: at a line's start, after a backslash that starts it, after that and a dot, or in a line that is not the marker. */
    private static final int LINE_START = 0;
    private static final int BACKSLASH = 1;
    private static final int BACKSLASH_DOT = 2;
    private static final int IN_ROW = 3;
    private long lines;
    private int state = LINE_START;
    private boolean ended;
    private Runnable onEnd = () -> { };

    /** Runs {@code r} when the end marker has been read (during the {@code accept} that reads it). */
    CopyRowCounter onEnd(Runnable r) {
        onEnd = r;
        return this;
    }

    void accept(byte[] buf, int len) {
        accept(buf, 0, len);
    }

    void accept(byte[] buf, int off, int len) {
        if (ended) return;
        int i = off;
        int end = off + len;
        int s = state;
        while (i < end) {
            if (s == IN_ROW) {
                int j = newline(buf, i, end);
                if (j == end) break;
                lines++;
                s = LINE_START;
                i = j + 1;
                continue;
            }
            byte b = buf[i++];
            if (b == '\n') {
                if (s == BACKSLASH_DOT) {
                    state = LINE_START;
                    ended = true;
                    onEnd.run();
                    return; // nothing after the marker is a row
                }
                lines++;
                s = LINE_START;
            } else if (s == LINE_START && b == '\\') {
                s = BACKSLASH;
            } else if (s == BACKSLASH && b == '.') {
                s = BACKSLASH_DOT;
            } else {
                s = IN_ROW;
            }
        }
        state = s;
    }

    /** The index of the first '\n' in {@code buf[from, end)}, or {@code end}. */
    static int newline(byte[] buf, int from, int end) {
        int j = from;
        for (; j + 16 <= end; j += 16) {
            long x = (long) LONGS.get(buf, j) ^ NEWLINES;
            long y = (long) LONGS.get(buf, j + 8) ^ NEWLINES;
            long zx = (x - ONES) & ~x & HIGHS; // the lowest set bit marks the first newline exactly
            long zy = (y - ONES) & ~y & HIGHS;
            if ((zx | zy) != 0) {
                return zx != 0 ? j + (Long.numberOfTrailingZeros(zx) >>> 3) : j + 8 + (Long.numberOfTrailingZeros(zy) >>> 3);
            }
        }
        if (j + 8 <= end) {
            long x = (long) LONGS.get(buf, j) ^ NEWLINES;
            long z = (x - ONES) & ~x & HIGHS;
            if (z != 0) return j + (Long.numberOfTrailingZeros(z) >>> 3);
            j += 8;
        }
        if (j < end && end - from >= 8) {
            // the last eight bytes, overlapping what was scanned (no newline there), so the lowest
            // set bit is the first newline at or after j
            long x = (long) LONGS.get(buf, end - 8) ^ NEWLINES;
            long z = (x - ONES) & ~x & HIGHS;
            return z != 0 ? end - 8 + (Long.numberOfTrailingZeros(z) >>> 3) : end;
        }
        while (j < end && buf[j] != '\n') j++;
        return j;
    }

    long rows() {
        return lines;
    }
}
