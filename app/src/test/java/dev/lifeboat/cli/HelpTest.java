package dev.lifeboat.cli;

import dev.lifeboat.Version;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's own surface: help with exit codes and variables, version, usage errors. */
class HelpTest {
    @Test
    void topLevelHelpListsEveryCommandAndTheExitCodes() {
        Lifeboat.Result r = Lifeboat.run(Map.of(), "--help");
        assertEquals(0, r.exit());
        for (String command : new String[] {"backup", "mirror", "rotate", "restore", "verify", "drill", "list", "check"}) {
            assertTrue(r.out().contains("  " + command + " "), command + " in: " + r.out());
        }
        assertTrue(r.out().contains("Exit codes:") && r.out().contains(" 75 ") && r.out().contains("143"), r.out());
    }

    @Test
    void aCommandLineThatNamesACommandBuildsThatOneOnly() {
        LifeboatCommand.SUBCOMMANDS.forEach((name, command) -> assertEquals(name,
                command.get().getClass().getAnnotation(picocli.CommandLine.Command.class).name(), "the map's name is the command's"));
        picocli.CommandLine one = new picocli.CommandLine(new LifeboatCommand(System.out, System.err, Map.of(), java.time.Clock.systemUTC()));
        LifeboatCommand.addSubcommands(one, "--env-file", "backup", "--debug", "restore");
        assertEquals(java.util.Set.of("restore"), one.getSubcommands().keySet(), "--env-file's value is not a command");
        picocli.CommandLine all = new picocli.CommandLine(new LifeboatCommand(System.out, System.err, Map.of(), java.time.Clock.systemUTC()));
        LifeboatCommand.addSubcommands(all, "--debug", "frobnicate");
        assertEquals(java.util.List.copyOf(LifeboatCommand.SUBCOMMANDS.keySet()), java.util.List.copyOf(all.getSubcommands().keySet()));
        picocli.CommandLine help = new picocli.CommandLine(new LifeboatCommand(System.out, System.err, Map.of(), java.time.Clock.systemUTC()));
        LifeboatCommand.addSubcommands(help, "--help", "backup");
        assertEquals(LifeboatCommand.SUBCOMMANDS.keySet(), help.getSubcommands().keySet(), "the root's help lists every command");
    }

    @Test
    void noCommandAtAllPrintsTheWholeUsage() {
        Lifeboat.Result r = Lifeboat.run(Map.of());
        for (String command : LifeboatCommand.SUBCOMMANDS.keySet()) {
            assertTrue(r.out().contains("  " + command + " "), command + " in: " + r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "mirror", "rotate", "restore", "verify", "drill", "list", "check"})
    void everyCommandsHelpListsItsExitCodes(String command) {
        Lifeboat.Result r = Lifeboat.run(Map.of(), command, "--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void backupHelpNamesTheVariablesThatSetIt() {
        String help = Lifeboat.run(Map.of(), "backup", "--help").out();
        for (String v : new String[] {"DATABASE_URL", "BACKUP_S3_", "BACKUP_DIR", "BACKUP_GPG_RECIPIENT", "BACKUP_COMPRESSION", "PG_BIN_DIR"}) {
            assertTrue(help.contains(v), v + " in: " + help);
        }
    }

    @Test
    void versionAndUsageErrors() {
        Lifeboat.Result v = Lifeboat.run(Map.of(), "--version");
        assertEquals(0, v.exit());
        assertEquals("lifeboat " + Version.get(), v.out().strip());
        Lifeboat.Result unknown = Lifeboat.run(Map.of(), "backup", "--no-such-flag");
        assertEquals(2, unknown.exit());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        Lifeboat.Result noCommand = Lifeboat.run(Map.of(), "frobnicate");
        assertEquals(2, noCommand.exit());
        Lifeboat.Result password = Lifeboat.run(Map.of("DATABASE_URL", "postgresql://u@localhost/app"),
                "restore", "--latest", "--target-url", "postgresql://u:hunter2@localhost/other", "--dry-run");
        assertEquals(2, password.exit(), password.toString());
        assertTrue(password.err().contains("--target-url holds a password"), password.err());
        assertTrue(!password.err().contains("hunter2"), "the password is not repeated");
    }
}
