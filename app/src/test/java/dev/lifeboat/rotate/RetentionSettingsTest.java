package dev.lifeboat.rotate;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        RetentionSettings s = RetentionSettings.fromEnv(Env.of(Map.of()));
        assertEquals(RetentionSettings.defaults(), s);
        assertEquals(Duration.ofDays(7), s.keepHourly());
        assertEquals(Duration.ofDays(30), s.keepDaily());
        assertEquals(3, s.keepLast());
        assertEquals(Set.of("hold"), s.holdTags());
        assertEquals(Optional.empty(), s.maxRetention());
        assertEquals(ZoneId.of("UTC"), s.zone());
        RotateSettings r = RotateSettings.fromEnv(Env.of(Map.of()));
        assertEquals(Duration.ofHours(2), r.maxAge());
        assertEquals(Duration.ofHours(25), r.filesMaxAge());
        assertEquals(Duration.ofDays(30), r.keepReplaced());
    }

    @Test
    void readsEveryVariable() {
        RetentionSettings s = RetentionSettings.fromEnv(Env.of(Map.ofEntries(
                Map.entry("BACKUP_KEEP_HOURLY", "2d"), Map.entry("BACKUP_KEEP_DAILY", "14d"), Map.entry("BACKUP_KEEP_WEEKLY", "8w"),
                Map.entry("BACKUP_KEEP_MONTHLY", "12mo"), Map.entry("BACKUP_KEEP_YEARLY", "5y"), Map.entry("BACKUP_KEEP_LAST", "7"),
                Map.entry("BACKUP_KEEP_TAGGED", "90d"), Map.entry("BACKUP_HOLD_TAGS", "hold, legal-2026"),
                Map.entry("BACKUP_MAX_RETENTION", "400d"), Map.entry("BACKUP_TIMEZONE", "Europe/Berlin"))));
        assertEquals(new RetentionSettings(Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(56), Duration.ofDays(360),
                Duration.ofDays(5 * 365), 7, Duration.ofDays(90), Set.of("hold", "legal-2026"), Optional.of(Duration.ofDays(400)),
                ZoneId.of("Europe/Berlin")), s);
    }

    @Test
    void badValuesStopWithExit2NamingTheVariable() {
        assertConfigError("BACKUP_TIMEZONE", Map.of("BACKUP_TIMEZONE", "Mars/Olympus"));
        assertConfigError("BACKUP_KEEP_LAST", Map.of("BACKUP_KEEP_LAST", "0"));
        assertConfigError("BACKUP_KEEP_DAILY", Map.of("BACKUP_KEEP_DAILY", "30m"));
        assertConfigError("BACKUP_HOLD_TAGS", Map.of("BACKUP_HOLD_TAGS", "Legal Hold"));
        assertConfigError("BACKUP_MAX_RETENTION", Map.of("BACKUP_MAX_RETENTION", "2h"));
    }

    private static void assertConfigError(String variable, Map<String, String> env) {
        LifeboatException e = assertThrows(LifeboatException.class, () -> RetentionSettings.fromEnv(Env.of(env)));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }
}
