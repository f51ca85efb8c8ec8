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
}
