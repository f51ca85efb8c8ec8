package dev.lifeboat.catalog;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupKeyTest {
    @Test
    void stemAndCompanionKeysFollowTheLayout() {
        BackupKey k = BackupKey.of("pg", "app", Instant.parse("2026-11-20T14:03:09.750Z"), "pre-deploy");
        assertEquals("pg/app/2026-11-20/140309-pre-deploy", k.stem());
        assertEquals("pg/app/2026-11-20/140309-pre-deploy.manifest.json", k.manifestKey());
        assertEquals("pg/app/2026-11-20/140309-pre-deploy.verified.json", k.verifiedKey());
        assertEquals(Instant.parse("2026-11-20T14:03:09Z"), k.time());
        assertEquals("files/app/2026-01-02/000000", BackupKey.of("files", "app", Instant.parse("2026-01-02T00:00:00Z"), "").stem());
    }

    @Test
    void parsesEveryObjectOfABackup() {
        BackupKey expected = new BackupKey("pg", "app", Instant.parse("2026-11-20T14:03:09Z"), "pre-deploy");
        for (String suffix : new String[] {".dump.gz.gpg", ".dump.zst", ".dump", ".globals.sql.gz.gpg", ".manifest.json", ".verified.json"}) {
            String key = "pg/app/2026-11-20/140309-pre-deploy" + suffix;
            assertEquals(Optional.of(expected), BackupKey.parse(key), key);
            assertEquals(Optional.of(suffix), BackupKey.suffix(key));
            assertTrue(BackupKey.isKnownSuffix("pg", suffix), suffix);
        }
        assertEquals(Optional.of(new BackupKey("files", "app", Instant.parse("2026-11-20T00:00:00Z"), null)),
                BackupKey.parse("files/app/2026-11-20/000000.tar.zst.gpg"));
        assertTrue(BackupKey.isKnownSuffix("files", ".tar.gz"));
        assertTrue(BackupKey.isKnownSuffix("files", ".entries.json.gz.gpg"), "the encrypted entry list of a files backup");
        assertFalse(BackupKey.isKnownSuffix("files", ".dump.gz"));
        assertFalse(BackupKey.isKnownSuffix("pg", ".dump.gz.bak"));
        assertFalse(BackupKey.isKnownSuffix("pg", ".txt"));
    }

    @Test
    void keysOutsideTheLayoutDoNotParse() {
        for (String key : new String[] {
                "pg/app/2026-11-20/140309",              // no suffix
                "pg/app/2026-13-01/140309.dump.gz",      // month 13
                "pg/app/2026-02-30/140309.dump.gz",      // no such day
                "pg/app/2026-11-20/246000.dump.gz",      // hour 24
                "pg/app/2026-11-20/14030.dump.gz",       // five digits
                "pg/app/2026-11-20/140309-Pre.dump.gz",  // upper-case tag
                "pg/app/2026-11-20/140309-.dump.gz",     // empty tag
                "pg/app/latest.json",
                "pg/app/2026-11-20/sub/140309.dump.gz",
                "pg/../2026-11-20/140309.dump.gz",
                "other/app/2026-11-20/140309.dump.gz"}) {
            assertEquals(Optional.empty(), BackupKey.parse(key), key);
        }
    }

    @Test
    void tagSyntax() {
        for (String ok : new String[] {"pre-deploy", "hold", "v2_3", "0", "a".repeat(63)}) assertTrue(BackupKey.isValidTag(ok), ok);
        for (String bad : new String[] {"", "-x", "_x", "Pre", "a.b", "a/b", "a b", "a".repeat(64), "ümlaut"}) {
            assertFalse(BackupKey.isValidTag(bad), bad);
        }
        LifeboatException e = assertThrows(LifeboatException.class, () -> BackupKey.requireTag("--tag", "v1.2"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--tag=v1.2 is not a valid tag"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BackupKey("pg", "app", Instant.EPOCH, "Bad"));
        assertThrows(IllegalArgumentException.class, () -> new BackupKey("pg", "..", Instant.EPOCH, null));
        assertThrows(IllegalArgumentException.class, () -> new BackupKey("wal", "app", Instant.EPOCH, null));
    }
}
