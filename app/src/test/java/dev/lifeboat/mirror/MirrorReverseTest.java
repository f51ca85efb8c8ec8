package dev.lifeboat.mirror;

import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lifeboat mirror --reverse}: the runbook's restore step for the file bucket. */
class MirrorReverseTest {
    @Test
    void restoresDeletedLiveObjectsAndReplacesADifferingOneOnlyWithOverwrite() throws Exception {
        MirrorFixture f = new MirrorFixture(S3Server.shared(), "reverse");
        Map<String, byte[]> objects = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) objects.put("contracts/c" + i + " signed.pdf", MirrorFixture.bytes(i, 500 + i));
        objects.put("contracts/empty.pdf", new byte[0]);
        objects.put("contracts/large.pdf", MirrorFixture.bytes(77, 9 * 1024 * 1024));
        f.putAll(objects);
        assertEquals(0, f.mirror().exit());

        f.deleteLive("contracts/c1 signed.pdf");
        f.deleteLive("contracts/empty.pdf");
        f.deleteLive("contracts/large.pdf");
        byte[] encrypted = MirrorFixture.bytes(666, 502);
        f.put("contracts/c2 signed.pdf", encrypted);

        MirrorFixture.Run dry = f.mirror("--reverse", "--dry-run");
        assertEquals(1, dry.exit(), dry.err());
        assertTrue(dry.out().contains("restore contracts/c1 signed.pdf"), dry.out());
        assertTrue(dry.out().contains("differs contracts/c2 signed.pdf"), dry.out());

        MirrorFixture.Run restore = f.mirror("--reverse", "--json");
        assertEquals(1, restore.exit(), "a differing live object is left and reported: " + restore.err());
        assertEquals(3, restore.count("copied"));
        assertEquals("contracts/c2 signed.pdf", restore.json().get("differing").get(0).asText());
        assertArrayEquals(objects.get("contracts/c1 signed.pdf"), f.liveBytes("contracts/c1 signed.pdf"));
        assertArrayEquals(new byte[0], f.liveBytes("contracts/empty.pdf"));
        assertArrayEquals(objects.get("contracts/large.pdf"), f.liveBytes("contracts/large.pdf"));
        assertArrayEquals(encrypted, f.liveBytes("contracts/c2 signed.pdf"), "not replaced without --overwrite");

        MirrorFixture.Run overwrite = f.mirror("--reverse", "--overwrite", "--json");
        assertEquals(0, overwrite.exit(), overwrite.err());
        assertEquals(1, overwrite.count("replaced"));
        assertArrayEquals(objects.get("contracts/c2 signed.pdf"), f.liveBytes("contracts/c2 signed.pdf"));

        MirrorFixture.Run forward = f.mirror("--json");
        assertEquals(0, forward.exit(), forward.err());
        assertEquals(0, forward.count("copied"), "restored objects are known to match their copies");
    }
}
