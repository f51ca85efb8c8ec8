package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkCheckTest {
    private static Manifest manifest(long dumpBytes) throws IOException {
        String json = "{\"format\":\"lifeboat-manifest/1\",\"dump\":{\"key\":\"pg/app/2026-11-20/140000.dump.gz\",\"sha256\":\"x\"},"
                + "\"tables\":[],\"dump_bytes\":" + dumpBytes + "}";
        return Json.read(json.getBytes(), Manifest.class);
    }

    @Test
    void noPreviousBackupIsSkipped() throws IOException {
        assertEquals(Check.Status.SKIPPED, ShrinkCheck.of(manifest(10), Optional.empty(), null).status());
    }

    @Test
    void halfOrLessSmallerIsFineMoreIsAWarning() throws IOException {
        assertEquals(Check.Status.OK, ShrinkCheck.of(manifest(500), Optional.of(manifest(1000)), null).status());
        assertEquals(Check.Status.OK, ShrinkCheck.of(manifest(2000), Optional.of(manifest(1000)), null).status());
        Check warn = ShrinkCheck.of(manifest(499), Optional.of(manifest(1000)), null);
        assertEquals(Check.Status.WARNING, warn.status());
        assertTrue(warn.detail().startsWith("the dump is 50.1% smaller"), warn.detail());
    }

    @Test
    void maxShrinkTurnsExceedingItIntoAFailureAndReplacesTheWarningThreshold() throws IOException {
        Check failed = ShrinkCheck.of(manifest(700), Optional.of(manifest(1000)), 20.0);
        assertEquals(Check.Status.FAILED, failed.status());
        assertTrue(failed.detail().contains("more than --max-shrink 20.0%"), failed.detail());
        assertEquals(Check.Status.OK, ShrinkCheck.of(manifest(300), Optional.of(manifest(1000)), 80.0).status());
    }
}
