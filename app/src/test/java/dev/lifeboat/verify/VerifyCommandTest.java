package dev.lifeboat.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.json.Json;
import dev.lifeboat.verify.BackupFixture.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.RunLock;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import static dev.lifeboat.verify.BackupFixture.run;
import static dev.lifeboat.verify.BackupFixture.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lifeboat verify} against real backups of pagila in a real S3 server (see {@link BackupFixture}). */
class VerifyCommandTest {
    static BackupFixture fx;

    @BeforeAll
    static void backups() throws Exception {
        fx = BackupFixture.get();
    }

    private static void assertLine(Run r, String status, String layer) {
        boolean found = r.out().lines().anyMatch(l -> l.trim().startsWith(status) && l.trim().substring(status.length()).trim()
                .startsWith(layer + " "));
        assertTrue(found, "expected a line '" + status + " " + layer + "' in:\n" + r.all());
    }

    @Test
    void aGoodBackupPassesQuickThenFullAndOnlyFullWritesVerifiedJson() throws Exception {
        String stem = fx.copy(fx.full, "good");
        Run quick = run(fx.env(), "verify", stem);
        assertEquals(0, quick.code(), quick.all());
        assertTrue(quick.out().contains("(level quick)"), quick.out());
        for (String layer : new String[] {"manifest", "size", "checksum", "globals"}) assertLine(quick, "ok", layer);
        assertLine(quick, "ok", "age");
        assertFalse(fx.exists(stem + BackupKey.VERIFIED_SUFFIX), "quick must not write verified.json");

        Run full = run(fx.envWithKey(), "verify", stem + ".manifest.json");
        assertEquals(0, full.code(), full.all());
        assertTrue(full.out().contains("(level full)"), "a configured key makes full the default:\n" + full.out());
        for (String layer : new String[] {"manifest", "size", "checksum", "decrypt", "decompress", "archive", "tables", "globals"}) {
            assertLine(full, "ok", layer);
        }
        assertLine(full, "skip", "signature");
        assertTrue(full.out().contains("row counts equal the manifest's"), full.out());
        JsonNode verified = Json.mapper().readTree(fx.read(stem + BackupKey.VERIFIED_SUFFIX));
        assertEquals("lifeboat-verified/1", verified.get("format").asText());
        assertEquals(stem, verified.get("key").asText());
        assertEquals("full", verified.get("level").asText());
        assertTrue(verified.get("checks").size() >= 8, verified.toString());
        assertTrue(verified.has("verified_at") && verified.has("lifeboat_version"), verified.toString());
    }

    @Test
    void aFlippedByteFailsAtTheChecksumInQuickModeAndAlsoWhileDecodingInFullMode() throws Exception {
        String stem = fx.copy(fx.full, "flipped");
        String dump = fx.dumpKey(stem);
        byte[] data = fx.read(dump);
        data[data.length / 2] ^= 0x5a;
        fx.overwrite(dump, data);

        Run quick = run(fx.env(), "verify", "--level", "quick", stem);
        assertEquals(1, quick.code(), quick.all());
        assertTrue(quick.err().contains("verify " + stem + ": checksum: stored object has sha256 "), quick.err());
        assertLine(quick, "ok", "size");

        Run full = run(fx.envWithKey(), "verify", "--level", "full", stem);
        assertEquals(1, full.code(), full.all());
        assertTrue(full.err().contains("verify " + stem + ": checksum: "), "the first failed layer is named:\n" + full.err());
        assertLine(full, "FAIL", "checksum");
        boolean decodingFailed = full.out().lines().anyMatch(l -> l.trim().startsWith("FAIL")
                && (l.contains("decrypt") || l.contains("decompress") || l.contains("archive")));
        assertTrue(decodingFailed, "the damage is also found while decoding:\n" + full.out());
        assertFalse(fx.exists(stem + BackupKey.VERIFIED_SUFFIX));
    }

    @Test
    void aTruncatedObjectFailsAtSizeAndChecksumAndItsOpenPgpMessageIsIncomplete() throws Exception {
        String stem = fx.copy(fx.full, "truncated");
        String dump = fx.dumpKey(stem);
        byte[] data = fx.read(dump);
        fx.overwrite(dump, Arrays.copyOf(data, data.length * 2 / 3));

        Run quick = run(fx.env(), "verify", stem);
        assertEquals(1, quick.code(), quick.all());
        assertTrue(quick.err().contains(": size: stored object has " + (data.length * 2 / 3) + " bytes, manifest says " + data.length),
                quick.err());
        assertLine(quick, "FAIL", "checksum");

        Run full = run(fx.envWithKey(), "verify", stem);
        assertEquals(1, full.code(), full.all());
        assertLine(full, "FAIL", "checksum");
        assertLine(full, "FAIL", "decrypt");
    }

    @Test
    void aMissingManifestMeansAnIncompleteBackup() throws Exception {
        String stem = fx.copy(fx.full, "nomanifest");
        fx.delete(stem + BackupKey.MANIFEST_SUFFIX);
        Run r = run(fx.env(), "verify", stem);
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("verify " + stem + ": manifest: no manifest " + stem + ".manifest.json: the backup is incomplete"),
                r.err());

        Run latest = run(with(fx.env(), "BACKUP_SOURCE_NAME", "nomanifest"), "verify");
        assertEquals(1, latest.code(), latest.all());
        assertTrue(latest.err().contains("age: no complete backup under pg/nomanifest/"), latest.err());

        Run unknown = run(fx.env(), "verify", "pg/app/2001-01-01/000000");
        assertEquals(1, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("manifest: no backup pg/app/2001-01-01/000000 in s3://"), unknown.err());
    }

    @Test
    void aManifestWhoseChecksumOrSizeDisagreesFails() throws Exception {
        String badSum = fx.copy(fx.full, "badsum", BackupKey.parse(fx.full + ".x").orElseThrow().time(),
                m -> m.put("sha256", "00".repeat(32)));
        Run sum = run(fx.env(), "verify", badSum);
        assertEquals(1, sum.code(), sum.all());
        assertTrue(sum.err().contains("checksum: stored object has sha256 ") && sum.err().contains("manifest says " + "00".repeat(32)),
                sum.err());

        String badSize = fx.copy(fx.full, "badsize", BackupKey.parse(fx.full + ".x").orElseThrow().time(),
                m -> m.put("stored_bytes", m.get("stored_bytes").asLong() + 1));
        Run size = run(fx.env(), "verify", badSize);
        assertEquals(1, size.code(), size.all());
        assertTrue(size.err().contains("verify " + badSize + ": size: stored object has "), size.err());
        assertLine(size, "ok", "checksum");
    }

    @Test
    void aWrongKeyIsExit2NamingTheKeyIdTheBackupIsEncryptedTo() throws Exception {
        Run r = run(with(fx.env(), "BACKUP_GPG_SECRET_KEY", fx.otherSecret.toString()), "verify", "--level", "full", fx.noFilm);
        assertEquals(2, r.code(), r.all());
        String subkey = fx.gpg.subkeyFingerprints(fx.key.fingerprint()).get(0);
        String keyId = "0x" + subkey.substring(subkey.length() - 16).toUpperCase(Locale.ROOT);
        assertTrue(r.err().contains(keyId), "names " + keyId + ":\n" + r.err());

        Run none = run(fx.env(), "verify", "--level", "full", fx.noFilm);
        assertEquals(2, none.code(), none.all());
        assertTrue(none.err().contains("BACKUP_GPG_SECRET_KEY"), none.err());
    }

    @Test
    void aCriticalTableLeftOutOfTheBackupFailsAtBothLevels() throws Exception {
        Map<String, String> critical = fx.envWithKey("BACKUP_CRITICAL_TABLES", "public.film, actor");
        for (String level : new String[] {"quick", "full"}) {
            Run r = run(critical, "verify", "--level", level, fx.noFilm);
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("verify " + fx.noFilm + ": critical: public.film was left out of the backup by a filter"),
                    r.err());
        }
        Run ok = run(critical, "verify", "--level", "full", fx.copy(fx.full, "critical"));
        assertEquals(0, ok.code(), ok.all());
        assertTrue(ok.out().contains("public.film (1000 rows), public.actor (200 rows) in the manifest and the archive"), ok.out());
    }

    @Test
    void trustedSignersAreCheckedAtLevelFull() throws Exception {
        String signed = fx.copy(fx.full, "signed");
        Run good = run(fx.envWithKey("BACKUP_GPG_TRUSTED_SIGNERS", fx.key.fingerprint()), "verify", signed);
        assertEquals(0, good.code(), good.all());
        assertLine(good, "ok", "signature");

        Run stranger = run(fx.envWithKey("BACKUP_GPG_TRUSTED_SIGNERS", fx.otherKey.fingerprint()), "verify", signed);
        assertEquals(1, stranger.code(), stranger.all());
        assertTrue(stranger.err().contains(": signature: "), stranger.err());

        Run unsigned = run(fx.envWithKey("BACKUP_GPG_TRUSTED_SIGNERS", fx.key.fingerprint()), "verify", fx.noFilm);
        assertEquals(1, unsigned.code(), unsigned.all());
        assertTrue(unsigned.err().contains("verify " + fx.noFilm + ": signature: the backup is not signed"), unsigned.err());
    }

    @Test
    void anOldNewestBackupFailsTheAgeCheckWhileItsLayersHold() throws Exception {
        String old = fx.copy(fx.full, "old", Instant.parse("2020-01-01T00:00:00Z"), m -> m);
        Run r = run(with(fx.env(), "BACKUP_SOURCE_NAME", "old"), "verify", "--latest");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("verify: age: the newest complete backup " + old + " is "), r.err());
        assertTrue(r.err().contains("older than BACKUP_MAX_AGE=2h"), r.err());
        assertLine(r, "ok", "checksum");
        Run relaxed = run(with(fx.env(), "BACKUP_SOURCE_NAME", "old", "BACKUP_MAX_AGE", "3650d"), "verify", "--latest");
        assertEquals(0, relaxed.code(), relaxed.all());
    }

    @Test
    void aDumpMuchSmallerThanThePreviousIsAWarningOrWithMaxShrinkAFailure() {
        Run warn = run(fx.env(), "verify", fx.tiny);
        assertEquals(0, warn.code(), warn.all());
        assertLine(warn, "warn", "shrink");
        Run fail = run(fx.env(), "verify", "--max-shrink", "50%", fx.tiny);
        assertEquals(1, fail.code(), fail.all());
        assertTrue(fail.err().contains("verify " + fx.tiny + ": shrink: the dump is "), fail.err());
        assertTrue(fail.err().contains("more than --max-shrink 50.0%"), fail.err());
        Run bad = run(fx.env(), "verify", "--max-shrink", "lots", fx.tiny);
        assertEquals(2, bad.code(), bad.all());
    }

    @Test
    void allVerifiesEveryCompleteBackupAndJsonGivesThePerLayerReport() throws Exception {
        Run r = run(fx.env(), "verify", "--all", "--json");
        assertEquals(0, r.code(), r.all());
        JsonNode report = Json.mapper().readTree(r.out());
        assertEquals("quick", report.get("level").asText());
        assertTrue(report.get("passed").asBoolean());
        JsonNode backups = report.get("backups");
        assertEquals(3, backups.size(), r.out());
        assertEquals(fx.full, backups.get(0).get("key").asText());
        assertEquals(fx.tiny, backups.get(2).get("key").asText());
        JsonNode checksum = backups.get(0).get("checks").get(2);
        assertEquals("checksum", checksum.get("layer").asText());
        assertEquals("ok", checksum.get("status").asText());
        assertEquals("ok", report.get("age").get("status").asText());
    }

    @Test
    void verifyHoldsTheStoreSharedSoWhileRotateHoldsItExclusivelyItExits75() throws Exception {
        try (RunLock rotate = RunLock.acquire(Path.of(fx.lockDir), "store-" + BackupFixture.SOURCE, LockSpec.Mode.EXCLUSIVE,
                "rotate", Instant.now())) {
            Run r = run(fx.env(), "verify", "--level", "quick", fx.full);
            assertEquals(75, r.code(), r.all());
            assertTrue(r.err().contains("rotate"), r.err());
        }
        assertEquals(0, run(fx.env(), "verify", "--level", "quick", fx.full).code());
    }

    @Test
    void usageErrorsAreExit2() {
        assertEquals(2, run(fx.env(), "verify", "--all", fx.full).code());
        assertEquals(2, run(fx.env(), "verify", "not/a/key").code());
        assertEquals(2, run(fx.env(), "verify", "--level", "deep").code());
    }
}
