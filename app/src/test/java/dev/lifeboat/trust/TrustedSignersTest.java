package dev.lifeboat.trust;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lifeboat.trust.TrustFixture.count;
import static dev.lifeboat.trust.TrustFixture.databasesStartingWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signed backups: the backup host signs with BACKUP_GPG_SIGNING_KEY; a restore host with
 * BACKUP_GPG_TRUSTED_SIGNERS restores only what a trusted signer signed, and refuses (exit 1)
 * an unsigned, an unencrypted or a foreign-signed backup before it creates or changes any
 * database; drill and verify --level full refuse it too.
 */
class TrustedSignersTest {
    static final String SIGN_PASS = "sign-pass-5521";
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key recipient;
    static GpgHome.Key signer;
    static GpgHome.Key intruder;
    static Path recipientSecret;
    static Path signerSecret;
    static Path intruderSecret;
    static String publicKeys;
    static int n;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        s3 = S3Server.shared();
        gpg = new GpgHome();
        recipient = gpg.generateCv25519("Restore host <restore@example.com>", null);
        signer = gpg.generateSigningOnly("Backup host <backup@example.com>", SIGN_PASS);
        intruder = gpg.generateSigningOnly("Intruder <intruder@example.com>", null);
        recipientSecret = gpg.exportSecret(recipient.fingerprint(), null);
        signerSecret = gpg.exportSecret(signer.fingerprint(), SIGN_PASS);
        intruderSecret = gpg.exportSecret(intruder.fingerprint(), null);
        publicKeys = gpg.exportPublic(recipient.fingerprint()) + "," + gpg.exportPublic(signer.fingerprint()) + ","
                + gpg.exportPublic(intruder.fingerprint());
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    /** A new small database and bucket; the environment of a backup host encrypting to {@code recipient}. */
    Map<String, String> backupHost(String db) throws Exception {
        TrustFixture.smallDatabase(pg, db);
        String bucket = "trust-" + (++n);
        s3.createBucket(bucket);
        Map<String, String> env = TrustFixture.env(pg, s3, db, bucket);
        env.put("BACKUP_GPG_RECIPIENT", recipient.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", publicKeys);
        return env;
    }

    /** The same store and database as seen by a restore host that trusts only {@code signer}. */
    static Map<String, String> restoreHost(Map<String, String> backupEnv) {
        Map<String, String> env = new java.util.HashMap<>(backupEnv);
        env.remove("BACKUP_GPG_RECIPIENT");
        env.remove("BACKUP_GPG_SIGNING_KEY");
        env.remove("BACKUP_GPG_SIGNING_KEY_PASSPHRASE");
        env.remove("BACKUP_ENCRYPTION");
        env.put("BACKUP_GPG_SECRET_KEY", recipientSecret.toString());
        env.put("BACKUP_GPG_TRUSTED_SIGNERS", signer.fingerprint());
        return env;
    }

    @Test
    void aBackupSignedByATrustedKeyRestores() throws Exception {
        String db = "trust_signed";
        Map<String, String> env = backupHost(db);
        env.put("BACKUP_GPG_SIGNING_KEY", signerSecret.toString());
        env.put("BACKUP_GPG_SIGNING_KEY_PASSPHRASE", SIGN_PASS);
        String stem = TrustFixture.backup(env);
        assertEquals(signer.fingerprint(), TrustFixture.manifest(s3, env.get("BACKUP_S3_BUCKET"), stem).signer(),
                "the manifest names the signing key");
        // what restore must bring back: the 500 rows, not the change made after the backup
        pg.execute(db, "DELETE FROM ledger WHERE id > 100");

        Lifeboat.Result r = Lifeboat.run(restoreHost(env), "restore", "--latest", "--confirm=" + db, "--no-safety-backup");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(500, count(pg, db, "SELECT count(*) FROM ledger"));
        assertEquals(1, databasesStartingWith(pg, db + "_pre_restore_").size(), "the old database is kept");
    }

    @Test
    void anUnsignedBackupIsRefusedBeforeAnythingIsTouched() throws Exception {
        String db = "trust_unsigned";
        Map<String, String> env = backupHost(db);
        TrustFixture.backup(env);
        assertRefused(db, restoreHost(env), "is not signed, but BACKUP_GPG_TRUSTED_SIGNERS is set");
    }

    @Test
    void aBackupSignedByAnotherKeyIsRefusedByRestoreAndDrill() throws Exception {
        String db = "trust_intruder";
        Map<String, String> env = backupHost(db);
        env.put("BACKUP_GPG_SIGNING_KEY", intruderSecret.toString());
        String stem = TrustFixture.backup(env);
        assertEquals(intruder.fingerprint(), TrustFixture.manifest(s3, env.get("BACKUP_S3_BUCKET"), stem).signer());
        String said = "signed by key(s) " + intruder.shownKeyId() + ", none of which is in BACKUP_GPG_TRUSTED_SIGNERS";
        assertRefused(db, restoreHost(env), said);

        Lifeboat.Result drill = Lifeboat.run(restoreHost(env), "drill", stem);
        assertEquals(1, drill.exit(), drill.toString());
        assertTrue(drill.err().contains(said), drill.err());
        assertEquals(List.of(), databasesStartingWith(pg, "lifeboat_drill_"), "the drill created no database");

        Lifeboat.Result verify = Lifeboat.run(restoreHost(env), "verify", stem, "--level", "full");
        assertEquals(1, verify.exit(), verify.toString());
        assertTrue(verify.err().contains(stem + ": signature: ") && verify.err().contains(said), verify.err());
    }

    @Test
    void aFilesBackupSignedByAnotherKeyIsRefusedBeforeTheTargetIsMade() throws Exception {
        Map<String, String> env = backupHost("trust_files");
        env.put("BACKUP_GPG_SIGNING_KEY", intruderSecret.toString());
        java.nio.file.Path dir = Scratch.dir("trust-files-");
        java.nio.file.Files.writeString(dir.resolve(".env"), "ENCRYPTION_KEY=abc\n");
        Lifeboat.Result backup = Lifeboat.run(env, "backup", "--files", dir.toString());
        assertEquals(0, backup.exit(), backup.toString());

        java.nio.file.Path target = dir.resolveSibling(dir.getFileName() + "-restored");
        Lifeboat.Result r = Lifeboat.run(restoreHost(env), "restore", "--files", "--latest", "--to", target.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing files/trust_files/") && r.err().contains(intruder.shownKeyId()), r.err());
        assertTrue(!java.nio.file.Files.exists(target), "the target directory was not even created");
    }

    @Test
    void anUnencryptedBackupIsRefusedWhenSignersAreTrusted() throws Exception {
        String db = "trust_plain";
        Map<String, String> env = backupHost(db);
        env.remove("BACKUP_GPG_RECIPIENT");
        env.put("BACKUP_ENCRYPTION", "off");
        TrustFixture.backup(env);
        assertRefused(db, restoreHost(env), "is not encrypted and so not signed");
    }

    /** Exit 1 naming the reason; the live database keeps its change; no side or pre-restore database, no safety backup. */
    static void assertRefused(String db, Map<String, String> restoreEnv, String reason) throws Exception {
        pg.execute(db, "DELETE FROM ledger WHERE id > 100");
        List<String> objectsBefore = TrustFixture.keys(s3, restoreEnv.get("BACKUP_S3_BUCKET"));
        Lifeboat.Result r = Lifeboat.run(restoreEnv, "restore", "--latest", "--confirm=" + db);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("refusing pg/" + db + "/"), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertEquals(100, count(pg, db, "SELECT count(*) FROM ledger"), "the live database is untouched");
        assertEquals(List.of(db), databasesStartingWith(pg, db), "no side or pre-restore database is left");
        assertEquals(objectsBefore, TrustFixture.keys(s3, restoreEnv.get("BACKUP_S3_BUCKET")), "not even a safety backup was taken");
    }
}
