package dev.lifeboat.archive;

/**
 * Counts the rows of COPY text data: newline-terminated lines up to the {@code \.} end marker
 * that pg_dump writes after the data (a row of a table with no columns is an empty line, and
 * counts). Only the first two bytes of a line decide whether it is the marker, so the scan
 * for newlines is a tight loop, eight bytes at a time.
 */
final class CopyRowCounter {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private long lines;
    private int lineLength;
    private boolean lineIsMarkerSoFar = true;
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
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            if (lineLength < 3) {
                byte b = buf[i++];
                if (b == '\n') {
                    endLine();
                    continue;
                }
                if (lineIsMarkerSoFar && !((lineLength == 0 && b == '\\') || (lineLength == 1 && b == '.'))) {
                    lineIsMarkerSoFar = false;
                }
                lineLength++;
                continue;
            }
            int j = newline(buf, i, end);
            if (j == end) {
                i = end;
                break;
            }
            i = j + 1;
            endLine();
        }
    }

    /** The index of the first '\n' in {@code buf[from, end)}, or {@code end}. */
    static int newline(byte[] buf, int from, int end) {
        int j = from;
        for (; j + 8 <= end; j += 8) {
            long x = (long) LONGS.get(buf, j) ^ NEWLINES;
            long zeroBytes = (x - ONES) & ~x & HIGHS; // the lowest set bit marks the first newline exactly
            if (zeroBytes != 0) return j + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
        }
        while (j < end && buf[j] != '\n') j++;
        return j;
    }

    private void endLine() {
        if (lineLength == 2 && lineIsMarkerSoFar) {
            ended = true;
            onEnd.run();
        } else {
            lines++;
        }
        lineLength = 0;
        lineIsMarkerSoFar = true;
    }

    long rows() {
        return lines;
    }
}
