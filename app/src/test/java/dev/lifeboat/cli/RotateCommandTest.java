package dev.lifeboat.cli;

import dev.lifeboat.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of rotate (the job itself is tested in RotateJobTest). */
class RotateCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        assertEquals(0, run(Map.of(), "rotate", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String s : new String[] {"--dry-run", "--force", "--json", "--source", "Exit codes:"}) assertTrue(help.contains(s), help);
    }

    @Test
    void aBadTimeZoneStopsBeforeAnythingWithExit2() {
        assertEquals(2, run(Map.of("BACKUP_TIMEZONE", "Europe/Nowhere", "BACKUP_SOURCE_NAME", "app"), "rotate", "--dry-run"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("BACKUP_TIMEZONE=Europe/Nowhere is not a time zone"), err.toString());
    }

    @Test
    void aSourceNameThatCannotBeAKeySegmentIsRefused() {
        assertEquals(2, run(Map.of("BACKUP_SOURCE_NAME", "my db"), "rotate", "--dry-run"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("BACKUP_SOURCE_NAME=my db is not a valid source name"), err.toString());
        assertEquals(2, run(Map.of(), "rotate", "--source", "../etc", "--dry-run"));
        assertEquals(2, run(Map.of("DATABASE_URL", "postgresql://u@h/my%20db"), "rotate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("set BACKUP_SOURCE_NAME"), err.toString());
    }
}
