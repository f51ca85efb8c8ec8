package dev.lifeboat.archive;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The COPY line counter gives the same count however the data is cut into chunks. */
class CopyRowCounterTest {
    private static final String DATA = "1\tanna\t\\N\n22\tb\\.\tx\n\n\\.x\n\\\n3\t\\.\n\\.\nafter the marker\n";

    @Test
    void countsRowsUpToTheEndMarkerWhateverTheChunks() {
        byte[] b = DATA.getBytes(StandardCharsets.UTF_8);
        for (int cut1 = 0; cut1 <= b.length; cut1++) {
            for (int cut2 = cut1; cut2 <= b.length; cut2++) {
                CopyRowCounter c = new CopyRowCounter();
                c.accept(b, 0, cut1);
                c.accept(b, cut1, cut2 - cut1);
                c.accept(b, cut2, b.length - cut2);
                assertEquals(6, c.rows(), "cuts at " + cut1 + ", " + cut2);
            }
        }
    }

    /** The rows a plain byte-by-byte reading finds: lines up to the line {@code \.}; and whether that line came. */
    private static long[] reference(byte[] b) {
        long rows = 0;
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\n') continue;
            if (i - start == 2 && b[start] == '\\' && b[start + 1] == '.') return new long[] {rows, 1};
            rows++;
            start = i + 1;
        }
        return new long[] {rows, 0};
    }

    @Test
    void dataMadeToConfuseAWordAtATimeScanCountsLikeAByteByByteReading() {
        java.util.Random r = new java.util.Random(17);
        // newlines, backslashes and dots; bytes one bit away from them (0x0B, 0x5D, 0x2F), which fool
        // a zero-byte test that is exact only for the first zero byte; high bytes; NUL
        byte[] odd = {'\n', '\n', '\\', '.', 'N', 0x0B, 0x5D, 0x2F, 0x01, (byte) 0x80, (byte) 0xFF, 0, '\t'};
        String[] lineStarts = {"\\N\t", "\\\\", "\\.x", "\\", "\\.\\.", "\n\\N\n"};
        for (int round = 0; round < 400; round++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int lines = r.nextInt(60);
            for (int l = 0; l < lines; l++) {
                if (r.nextInt(4) == 0) out.writeBytes(lineStarts[r.nextInt(lineStarts.length)].getBytes(StandardCharsets.ISO_8859_1));
                int len = r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(90);
                for (int k = 0; k < len; k++) {
                    out.write(r.nextInt(6) == 0 ? odd[r.nextInt(odd.length)] : 'a' + r.nextInt(26));
                }
                out.write('\n');
                if (r.nextInt(80) == 0) out.writeBytes("\\.\n".getBytes(StandardCharsets.ISO_8859_1)); // the marker, mid-data
            }
            if (r.nextBoolean()) out.writeBytes("\\.\nafter\nthe marker\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] b = out.toByteArray();
            long[] expected = reference(b);
            for (int cuts = 0; cuts < 5; cuts++) {
                boolean[] ended = {false};
                CopyRowCounter c = new CopyRowCounter().onEnd(() -> ended[0] = true);
                for (int off = 0; off < b.length; ) {
                    int n = Math.min(b.length - off, cuts == 0 ? b.length : r.nextInt(cuts * 20));
                    c.accept(b, off, n);
                    off += n;
                }
                assertEquals(expected[0], c.rows(), "round " + round + ", cuts " + cuts);
                assertEquals(expected[1] == 1, ended[0], "round " + round + ", cuts " + cuts);
            }
        }
    }

    @Test
    void byteAtATime() {
        byte[] b = DATA.getBytes(StandardCharsets.UTF_8);
        CopyRowCounter c = new CopyRowCounter();
        for (int i = 0; i < b.length; i++) c.accept(b, i, 1);
        assertEquals(6, c.rows());
    }

    @Test
    void longAndShortLinesInRandomChunksCountLikeAByteByByteScan() {
        java.util.Random r = new java.util.Random(9);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            int len = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(60);
            for (int k = 0; k < len; k++) sb.append((char) ('a' + r.nextInt(26)));
            sb.append('\n');
        }
        byte[] b = (sb + "\\.\nnot counted\n").getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 50; round++) {
            CopyRowCounter c = new CopyRowCounter();
            for (int off = 0; off < b.length; ) {
                int n = Math.min(b.length - off, r.nextInt(100));
                c.accept(b, off, n);
                off += n;
            }
            assertEquals(2000, c.rows());
        }
        for (int from = 0; from < 64; from++) {
            int expected = from;
            while (expected < b.length && b[expected] != '\n') expected++;
            assertEquals(expected, CopyRowCounter.newline(b, from, b.length));
        }
        byte[] none = new byte[37];
        assertEquals(37, CopyRowCounter.newline(none, 0, 37));
        none[36] = '\n';
        assertEquals(36, CopyRowCounter.newline(none, 3, 37));
        assertEquals(30, CopyRowCounter.newline(none, 3, 30));
    }

    @Test
    void newlineFindsTheFirstNewlineForEveryStartAndEnd() {
        java.util.Random r = new java.util.Random(23);
        for (int round = 0; round < 300; round++) {
            byte[] b = new byte[r.nextInt(48)];
            for (int k = 0; k < b.length; k++) {
                int pick = r.nextInt(10);
                b[k] = pick == 0 ? (byte) '\n' : pick == 1 ? 0x0B : pick == 2 ? (byte) 0x8A : (byte) ('a' + r.nextInt(26));
            }
            for (int from = 0; from <= b.length; from++) {
                for (int end = from; end <= b.length; end++) {
                    int expected = from;
                    while (expected < end && b[expected] != '\n') expected++;
                    assertEquals(expected, CopyRowCounter.newline(b, from, end), "round " + round + ", " + from + ".." + end);
                }
            }
        }
    }
}
