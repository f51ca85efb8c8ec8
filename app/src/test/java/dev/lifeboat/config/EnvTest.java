package dev.lifeboat.config;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration rules of DESIGN.md: env file under the process environment, X_FILE secrets, durations, URLs. */
class EnvTest {
    @Test
    void envFileLinesAreUnderTheProcessEnvironment() throws Exception {
        Path file = Files.writeString(Scratch.file("lifeboat", ".env"),
                "# comment\nexport BACKUP_DIR=/from/file\nBACKUP_SOURCE_NAME='shop'\nBACKUP_COMPRESSION=\"zstd\"\n\n");
        Env env = Env.withFile(Map.of("BACKUP_DIR", "/from/process"), file);
        assertEquals("/from/process", env.get("BACKUP_DIR").orElseThrow());
        assertEquals("shop", env.get("BACKUP_SOURCE_NAME").orElseThrow());
        assertEquals("zstd", env.get("BACKUP_COMPRESSION").orElseThrow());
        Path bad = Files.writeString(Scratch.file("lifeboat", ".env"), "OK=1\nthis is not a setting\n");
        LifeboatException e = assertThrows(LifeboatException.class, () -> Env.withFile(Map.of(), bad));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void secretsComeFromXOrXFileNeverBothAndAreRedacted() throws Exception {
        Path secret = Files.writeString(Scratch.file("secret", ""), "s3cr3t-from-file\n");
        Env env = Env.of(Map.of("BACKUP_GPG_PASSPHRASE_FILE", secret.toString()));
        assertEquals("s3cr3t-from-file", env.secret("BACKUP_GPG_PASSPHRASE").orElseThrow());
        assertEquals("error near *** here", env.redact("error near s3cr3t-from-file here"));
        Env both = Env.of(Map.of("BACKUP_GPG_PASSPHRASE", "a", "BACKUP_GPG_PASSPHRASE_FILE", secret.toString()));
        assertTrue(assertThrows(LifeboatException.class, () -> both.secret("BACKUP_GPG_PASSPHRASE")).getMessage().contains("both"));
        Env unreadable = Env.of(Map.of("BACKUP_GPG_PASSPHRASE_FILE", "/nonexistent/secret"));
        LifeboatException e = assertThrows(LifeboatException.class, () -> unreadable.secret("BACKUP_GPG_PASSPHRASE"));
        assertTrue(e.getMessage().startsWith("BACKUP_GPG_PASSPHRASE_FILE: cannot read /nonexistent/secret"), e.getMessage());
    }

    @Test
    void durationsHaveUnitsAndRefuseABareM() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("X", "90min"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("X", "1h30min"));
        assertEquals(Duration.ofDays(7), Durations.parse("X", "1w"));
        assertEquals(Duration.ofDays(360), Durations.parse("X", "12mo"));
        assertEquals(Duration.ZERO, Durations.parse("X", "0"));
        assertTrue(assertThrows(LifeboatException.class, () -> Durations.parse("BACKUP_KEEP_DAILY", "3m")).getMessage()
                .contains("ambiguous"));
        for (String bad : new String[] {"", "7", "d7", "7 days", "-1d", "1.5h"}) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> Durations.parse("BACKUP_MAX_AGE", bad), bad);
            assertTrue(e.getMessage().startsWith("BACKUP_MAX_AGE="), e.getMessage());
        }
        assertEquals("1d2h", Durations.format(Duration.ofHours(26)));
    }

    @Test
    void databaseUrlsFromLibpqUrisAndPgVariables() {
        DatabaseUrl u = DatabaseUrl.fromEnv(Env.of(Map.of("DATABASE_URL",
                "postgresql://app%40corp:p%40ss%2Fw@db.internal:6432/shop?sslmode=require&application_name=x")), "DATABASE_URL");
        assertEquals("app@corp", u.user());
        assertEquals("p@ss/w", u.password());
        assertEquals("db.internal", u.host());
        assertEquals(6432, u.port());
        assertEquals("shop", u.database());
        assertEquals("require", u.childEnv().get("PGSSLMODE"));
        assertFalse(u.toString().contains("p@ss"), u.toString());
        DatabaseUrl pg = DatabaseUrl.fromEnv(Env.of(Map.of("PGHOST", "10.0.0.5", "PGPORT", "5433", "PGUSER", "backup",
                "PGDATABASE", "crm", "PGPASSWORD", "pw")), "DATABASE_URL");
        assertEquals("postgresql://backup@10.0.0.5:5433/crm", pg.toString());
        assertEquals("pw", pg.childEnv().get("PGPASSWORD"));
        for (String bad : new String[] {"mysql://x/y", "postgresql://u@h:0/db", "postgresql://u@h:abc/db", "postgresql://u@h1,h2/db",
                "postgresql:///db?host=/var/run/postgresql"}) {
            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> DatabaseUrl.fromEnv(Env.of(Map.of("DATABASE_URL", bad)), "DATABASE_URL"), bad);
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("DATABASE_URL"), e.getMessage());
        }
    }
}
