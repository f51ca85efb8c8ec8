package dev.lifeboat.mirror;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirrorKeysTest {
    @Test
    void layoutFollowsTheDesign() {
        assertEquals("minio/files/a/b.pdf", MirrorKeys.copyKey("files", "a/b.pdf"));
        assertEquals("minio-index/files.json.gz", MirrorKeys.indexKey("files"));
        assertEquals("minio-replaced/files/2024-03-01/a/b.pdf", MirrorKeys.replacedKey("files", LocalDate.of(2024, 3, 1), "a/b.pdf", null));
        assertEquals("minio-replaced/files/2024-03-01/a/b.pdf~120000", MirrorKeys.replacedKey("files", LocalDate.of(2024, 3, 1), "a/b.pdf", "~120000"));
    }

    @Test
    void ordinaryKeysPass() {
        for (String k : List.of("a", "receipts/2024/03/r 1.pdf", "unicode/Ünïcödé/日本語.txt", "dots/..hidden", "dots/a..b", ".env", "x/.config")) {
            assertNull(MirrorKeys.problem(k), k);
        }
    }

    @Test
    void keysThatCouldEscapeAreRefused() {
        for (String k : List.of("../etc/passwd", "a/../../b", "a/..", "/abs", "a\\b", "a\0b", "a/./b", "a//b", "", "tab\there")) {
            assertNotNull(MirrorKeys.problem(k), k);
        }
        assertEquals("a\\x00b", MirrorKeys.printable("a\0b"));
    }

    @Test
    void globsMatchKeys() {
        KeyGlob g = KeyGlob.of(List.of("tmp/**", "**/*.tmp", "cache/?.bin", "top*.log"));
        assertTrue(g.matches("tmp/a"));
        assertTrue(g.matches("tmp/a/b/c"));
        assertTrue(g.matches("x.tmp"));
        assertTrue(g.matches("a/b/x.tmp"));
        assertTrue(g.matches("cache/1.bin"));
        assertTrue(g.matches("top-1.log"));
        assertFalse(g.matches("tmpx/a"));
        assertFalse(g.matches("cache/12.bin"));
        assertFalse(g.matches("logs/top-1.log"));
        assertFalse(g.matches("a/x.tmp.keep"));
        assertFalse(KeyGlob.of(List.of("a.b")).matches("axb"), "dots are literal");
        assertFalse(KeyGlob.none().matches("anything"));
    }
}
