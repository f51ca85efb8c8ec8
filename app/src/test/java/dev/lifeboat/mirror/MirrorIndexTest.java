package dev.lifeboat.mirror;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirrorIndexTest {
    private static final Instant T = Instant.parse("2024-05-06T07:08:09Z");

    @Test
    void roundTripsAsGzipJson() throws Exception {
        MirrorIndex index = MirrorIndex.empty();
        index.put("a/ü b.txt", new MirrorIndex.Entry(12, "abc", T.toString()));
        index.put("empty", new MirrorIndex.Entry(0, "d41d8cd98f00b204e9800998ecf8427e", T.toString()));
        byte[] gz = index.encode("live", T);
        String json = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\" : \"lifeboat-mirror-index/1\""), json);
        assertTrue(json.contains("a/ü b.txt"), json);
        MirrorIndex back = MirrorIndex.decode(gz, "live");
        assertEquals(MirrorIndex.State.FOUND, back.state());
        assertEquals(index.entries(), back.entries());
        assertFalse(back.changed());
        back.put("empty", back.get("empty"));
        assertFalse(back.changed(), "putting the same entry changes nothing");
        back.remove("empty");
        assertTrue(back.changed());
    }

    @Test
    void damagedIndexesAreRecognised() {
        byte[] good = MirrorIndex.empty().encode("live", T);
        assertThrows(IOException.class, () -> MirrorIndex.decode(Arrays.copyOf(good, good.length / 2), "live"));
        assertThrows(IOException.class, () -> MirrorIndex.decode("not gzip".getBytes(StandardCharsets.UTF_8), "live"));
        assertThrows(IOException.class, () -> MirrorIndex.decode(good, "another-bucket"));
    }
}
