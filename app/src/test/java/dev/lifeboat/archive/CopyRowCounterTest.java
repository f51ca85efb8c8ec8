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
}
