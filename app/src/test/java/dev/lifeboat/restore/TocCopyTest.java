package dev.lifeboat.restore;

import dev.lifeboat.harness.Scratch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TocCopyTest {
    private static byte[] stream(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    @Test
    void keepsExactlyTheBytesBeforeTheEndOfTheTableOfContents() throws IOException {
        byte[] all = stream(10_000);
        Path f = Scratch.file("toc-", ".dump");
        try (TocCopy toc = new TocCopy(f)) {
            toc.write(all, 0, 1000);
            toc.write(all, 1000, 1000);
            toc.tocEndsAt(1500); // the reader, a little behind, finds the end
            toc.write(all, 2000, 1000); // already past it: nothing more is written
            long size = Files.size(f);
            toc.write(all, 3000, 7000);
            assertTrue(Files.size(f) <= size, "stops writing once past the end");
            toc.finish();
        }
        assertArrayEquals(Arrays.copyOf(all, 1500), Files.readAllBytes(f));
    }

    @Test
    void anEndNeverHeardOfOrNotYetWrittenIsAnError() throws IOException {
        byte[] all = stream(100);
        Path f = Scratch.file("toc-", ".dump");
        try (TocCopy toc = new TocCopy(f)) {
            toc.write(all, 0, 100);
            assertThrows(IOException.class, toc::finish);
        }
        Path g = Scratch.file("toc-", ".dump");
        try (TocCopy toc = new TocCopy(g)) {
            toc.write(all, 0, 100);
            toc.tocEndsAt(150);
            assertThrows(IOException.class, toc::finish);
        }
    }
}
