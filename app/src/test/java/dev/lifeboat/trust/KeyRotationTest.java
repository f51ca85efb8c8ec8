package dev.lifeboat.trust;

import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key rotation runbook: backup A is encrypted to key1; key2 is added as a second recipient
 * (backup B); the restore host gets key2 and keeps key1 (BACKUP_GPG_SECRET_KEY=key2,key1): both
 * restore. With key2 alone, A fails with exit 2 naming key1's id, and `check` names A.
 */
class KeyRotationTest {
    static final String DB = "rotation_src";
    static final String PASS = "rotation-pass-871";
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key1;
    static GpgHome.Key key2;
    static Path key1Secret;
    static Path key2Secret;
    static String publicKeys;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        s3 = S3Server.shared();
        gpg = new GpgHome();
        key1 = gpg.generateRsa("Backups 2025 <backups-2025@example.com>", PASS);
        key2 = gpg.generateCv25519("Backups 2026 <backups-2026@example.com>", PASS);
        key1Secret = gpg.exportSecret(key1.fingerprint(), PASS);
        key2Secret = gpg.exportSecret(key2.fingerprint(), PASS);
        publicKeys = gpg.exportPublic(key1.fingerprint()) + "," + gpg.exportPublic(key2.fingerprint());
        TrustFixture.smallDatabase(pg, DB);
        s3.createBucket("rotation");
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    static Map<String, String> env(String recipients, String secretKeys) throws Exception {
        Map<String, String> env = new HashMap<>(TrustFixture.env(pg, s3, DB, "rotation"));
        env.put("BACKUP_GPG_PUBLIC_KEY", publicKeys);
        if (recipients != null) env.put("BACKUP_GPG_RECIPIENT", recipients);
        if (secretKeys != null) {
            env.put("BACKUP_GPG_SECRET_KEY", secretKeys);
            env.put("BACKUP_GPG_SECRET_KEY_PASSPHRASE", PASS);
        }
        return env;
    }

    @Test
    void oldAndNewBackupsRestoreAfterTheRotationAndAForgottenOldKeyIsNamed() throws Exception {
        String a = TrustFixture.backup(env(key1.fingerprint(), null), "--tag", "before-rotation");
        String b = TrustFixture.backup(env(key1.fingerprint() + "," + key2.fingerprint(), null), "--tag", "after-rotation");
        assertEquals(List.of(key1.fingerprint()), TrustFixture.manifest(s3, "rotation", a).encryption().recipients());
        assertEquals(List.of(key1.fingerprint(), key2.fingerprint()), TrustFixture.manifest(s3, "rotation", b).encryption().recipients());

        Map<String, String> rotated = env(null, key2Secret + "," + key1Secret);
        for (String stem : List.of(a, b)) {
            Lifeboat.Result r = Lifeboat.run(rotated, "drill", stem);
            assertEquals(0, r.exit(), stem + ": " + r);
            assertTrue(r.out().contains("PASSED"), r.out());
        }

        Map<String, String> onlyKey2 = env(null, key2Secret.toString());
        Lifeboat.Result old = Lifeboat.run(onlyKey2, "drill", a);
        assertEquals(2, old.exit(), old.toString());
        String key1Id = TrustFixture.encryptionKeyId(gpg, key1);
        assertTrue(old.err().contains(key1Id) && old.err().contains("none of which is in BACKUP_GPG_SECRET_KEY"), old.err());
        assertEquals(0, Lifeboat.run(onlyKey2, "drill", b).exit(), "B is encrypted to key2 as well");

        Lifeboat.Result check = Lifeboat.run(onlyKey2, "check");
        assertEquals(1, check.exit(), check.toString());
        String line = check.out().lines().filter(l -> l.startsWith("FAIL retained-backups")).findFirst().orElseThrow(() ->
                new AssertionError(check.toString()));
        assertTrue(line.contains(a + " (needs " + key1Id + ")"), line);
        assertFalse(line.contains(b), "B opens with key2: " + line);
        assertTrue(line.contains("BACKUP_GPG_SECRET_KEY"), "the fix names the variable: " + line);
    }
}
