package dev.lifeboat.crypto;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.harness.GpgHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lifeboat.crypto.Pgp.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each bad setting stops before anything runs: exit 2 and one line naming the variable. */
class EncryptionConfigTest {
    static final String SIGN_PASS = "signing-key-secret-7";

    static GpgHome gpg;
    static GpgHome.Key good;
    static GpgHome.Key signOnly;
    static GpgHome.Key expired;
    static GpgHome.Key revoked;
    static Path goodPublic;
    static Path signerSecret;
    static Path garbage;
    static Map<String, String> base;

    @BeforeAll
    static void keys() throws IOException {
        gpg = new GpgHome();
        good = gpg.generateCv25519("Good Key <good@backup.test>", "");
        signOnly = gpg.generateSigningOnly("Sign Only <signonly@backup.test>", SIGN_PASS);
        expired = gpg.generateExpired("Expired Key <expired@backup.test>");
        revoked = gpg.generateCv25519("Revoked Key <revoked@backup.test>", "");
        gpg.revoke(revoked.fingerprint());
        goodPublic = gpg.exportPublic(good.fingerprint());
        signerSecret = gpg.exportSecret(signOnly.fingerprint(), SIGN_PASS);
        garbage = Files.writeString(gpg.newFile("garbage", ".asc"), "this is not a key\n");
        base = gpg.env();
    }

    @AfterAll
    static void close() throws IOException {
        gpg.close();
    }

    private static LifeboatException configError(Executable e, String... expected) {
        LifeboatException ex = assertThrows(LifeboatException.class, e);
        assertEquals(ExitCode.USAGE, ex.exitCode(), ex.getMessage());
        for (String s : expected) assertTrue(ex.getMessage().contains(s), "'" + s + "' in: " + ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
        return ex;
    }

    @Test
    void autoWithoutRecipientOrPassphraseIsRefused() {
        LifeboatException e = configError(() -> EncryptionConfig.fromEnv(env(base)));
        assertEquals("BACKUP_ENCRYPTION=auto but neither BACKUP_GPG_RECIPIENT nor BACKUP_GPG_PASSPHRASE is set; set one,"
                + " or BACKUP_ENCRYPTION=off for an explicitly unencrypted backup", e.getMessage());
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_ENCRYPTION", "maybe")), "BACKUP_ENCRYPTION");
    }

    @Test
    void offMeansUnencryptedAndPassesTheStreamThrough() throws IOException {
        EncryptionConfig off = EncryptionConfig.fromEnv(env(base, "BACKUP_ENCRYPTION", "off"));
        assertFalse(off.enabled());
        assertEquals("none", off.mode());
        assertEquals("", off.suffix());
        assertEquals(List.of(), off.recipientFingerprints());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertSame(out, off.encrypt(out, "x"));
    }

    @Test
    void signingWithEncryptionOffIsRefused() {
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_ENCRYPTION", "off",
                "BACKUP_GPG_SIGNING_KEY", signerSecret.toString())), "BACKUP_GPG_SIGNING_KEY", "BACKUP_ENCRYPTION=off");
    }

    @Test
    void recipientAndPassphraseTogetherAreRefused() {
        LifeboatException e = configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_PASSPHRASE", "sym-secret-value-9")), "BACKUP_GPG_RECIPIENT", "BACKUP_GPG_PASSPHRASE");
        assertFalse(e.getMessage().contains("sym-secret-value-9"));
    }

    @Test
    void unknownRecipientNamesTheRecipientAndTheFilesSearched() {
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", "nobody@backup.test",
                "BACKUP_GPG_PUBLIC_KEY", goodPublic.toString())),
                "BACKUP_GPG_RECIPIENT", "'nobody@backup.test'", goodPublic.toString());
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", "0x1234567890ABCDEF")),
                "'0x1234567890ABCDEF'", gpg.home().resolve("pubring.kbx").toString());
        Path empty = gpg.home().resolve("no-such-home");
        configError(() -> EncryptionConfig.fromEnv(env(Map.of("GNUPGHOME", empty.toString()),
                "BACKUP_GPG_RECIPIENT", good.fingerprint())), empty.resolve("pubring.kbx") + " (not found");
    }

    @Test
    void ambiguousUserIdIsRefused() {
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", "@backup.test")),
                "matches several keys", good.fingerprint());
    }

    @Test
    void unreadableOrMalformedKeyFileIsNamed() {
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_PUBLIC_KEY", garbage.toString())), "BACKUP_GPG_PUBLIC_KEY", garbage.toString());
        Path missing = gpg.home().resolve("missing.asc");
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_PUBLIC_KEY", missing.toString())), "BACKUP_GPG_PUBLIC_KEY", "cannot read " + missing);
    }

    @Test
    void recipientWithoutAUsableEncryptionKeyIsRefused() {
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", signOnly.fingerprint())),
                "BACKUP_GPG_RECIPIENT", signOnly.fingerprint(), "no usable encryption key");
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", expired.fingerprint())),
                expired.fingerprint(), "no usable encryption key");
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", "revoked@backup.test")),
                revoked.fingerprint(), "no usable encryption key");
    }

    @Test
    void recipientsByBinaryKeyFileShortKeyIdAndUserId() {
        Path binary = gpg.exportPublicBinary(good.fingerprint());
        for (String name : List.of(good.fingerprint(), good.keyId(), "0x" + good.keyId().substring(8), "good@backup.test",
                "Good Key")) {
            EncryptionConfig c = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", name,
                    "BACKUP_GPG_PUBLIC_KEY", binary.toString()));
            assertEquals(List.of(good.fingerprint()), c.recipientFingerprints(), name);
            assertEquals(gpg.subkeyFingerprints(good.fingerprint()), c.encryptionKeyFingerprints(), name);
            assertEquals(".gpg", c.suffix());
        }
    }

    @Test
    void signingKeyProblemsAreNamed() {
        LifeboatException e = configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", signerSecret.toString(), "BACKUP_GPG_SIGNING_KEY_PASSPHRASE", "wrong-sign-pass-x")),
                "BACKUP_GPG_SIGNING_KEY_PASSPHRASE", signerSecret.toString());
        assertFalse(e.getMessage().contains("wrong-sign-pass-x"));
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", signerSecret.toString())), "BACKUP_GPG_SIGNING_KEY_PASSPHRASE is not set");
        configError(() -> EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", goodPublic.toString())), "BACKUP_GPG_SIGNING_KEY", "holds no OpenPGP secret key");
        EncryptionConfig ok = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", good.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", signerSecret.toString(), "BACKUP_GPG_SIGNING_KEY_PASSPHRASE", SIGN_PASS));
        assertEquals(signOnly.fingerprint(), ok.signerFingerprint().orElseThrow());
    }

    @Test
    void decryptionSettingsAreCheckedToo() {
        configError(() -> DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", goodPublic.toString())),
                "BACKUP_GPG_SECRET_KEY", goodPublic.toString(), "holds no OpenPGP secret key");
        configError(() -> DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", garbage.toString())),
                "BACKUP_GPG_SECRET_KEY", garbage.toString());
        configError(() -> DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_TRUSTED_SIGNERS", "0x1234567890ABCDEF")),
                "BACKUP_GPG_TRUSTED_SIGNERS", "'0x1234567890ABCDEF'");
        DecryptionConfig none = DecryptionConfig.fromEnv(Env.of(base));
        assertFalse(none.canDecrypt());
        assertFalse(none.requiresSignature());
        DecryptionConfig withSigner = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", signerSecret.toString(),
                "BACKUP_GPG_TRUSTED_SIGNERS", signOnly.fingerprint()));
        assertTrue(withSigner.canDecrypt());
        assertTrue(withSigner.requiresSignature());
        assertEquals(List.of(signOnly.fingerprint()), withSigner.trustedSignerFingerprints());
        assertEquals(List.of("0x" + signOnly.keyId()), withSigner.secretKeyIds());
    }
}
