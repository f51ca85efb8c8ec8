package dev.lifeboat.rotate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotateReportFormatTest {
    private static RotateReport dryRun() throws Exception {
        RotateSettings settings = new RotateSettings(RetentionSettings.defaults(), Duration.ofHours(2), Duration.ofHours(25),
                Duration.ofDays(30), RotateSettings.LEFTOVER_GRACE);
        return new RotateJob(RotateFixture.store(10), settings, RotateJob.ExclusiveHold.NO_LOCK)
                .run(new RotateJob.Request("app", true, false, RotateFixture.NOW));
    }

    @Test
    void tableShowsEveryBackupWithItsActionAndReasons() throws Exception {
        RotateReport r = dryRun();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RotateReportFormat.table(r, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("(dry run: nothing is deleted)"), text);
        assertTrue(text.matches("(?s).*\\npg/app/2026-11-11/030000 +2026-11-11T03:00:00Z +remove +no rule keeps it\\n.*"), text);
        assertTrue(text.matches("(?s).*\\npg/app/2026-11-20/120000 +2026-11-20T12:00:00Z +keep +hourly 2026-11-20T12, daily 2026-11-20, last 3\\n.*"));
        assertTrue(text.contains("backups: " + r.keptCount() + " kept, " + r.removedCount() + " to remove"));
        assertTrue(text.contains("  " + RotateFixture.OLD_OWN_LEFTOVER + "\n"));
    }

    @Test
    void jsonIsOneDocumentWithTheSamePlan() throws Exception {
        RotateReport r = dryRun();
        JsonNode json = new ObjectMapper().readTree(RotateReportFormat.json(r));
        assertEquals("rotate", json.get("command").asText());
        assertEquals(r.backups().size(), json.get("backups").size());
        assertEquals(r.keptCount(), json.get("kept").asLong());
        assertEquals(r.removedCount(), json.get("removed").asLong());
        JsonNode first = json.get("backups").get(0);
        assertEquals(r.backups().get(0).key(), first.get("key").asText());
        assertEquals(r.backups().get(0).keep() ? "keep" : "remove", first.get("action").asText());
        assertTrue(json.get("dryRun").asBoolean());
        assertEquals(0, json.get("deleted").size());
    }
}
