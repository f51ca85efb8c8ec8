package dev.lifeboat.crypto;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.harness.GpgHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lifeboat.crypto.Pgp.decrypt;
import static dev.lifeboat.crypto.Pgp.encrypt;
import static dev.lifeboat.crypto.Pgp.env;
import static dev.lifeboat.crypto.Pgp.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lifeboat's OpenPGP messages against the real gpg, both ways. */
class PgpInteropTest {
    static final String RSA_PASS = "rsa-secret-passphrase-1";
    static final String SIGN_PASS = "signing-secret-passphrase-2";
    static final String SYM_PASS = "symmetric-secret-passphrase-3";

    static GpgHome gpg;
    static GpgHome.Key rsa;
    static GpgHome.Key cv;
    static GpgHome.Key signer;
    static Path rsaPublic;
    static Path rsaSecret;
    static Path cvSecret;
    static Path signerPublic;
    static Path signerSecret;
    static Map<String, String> base;

    @BeforeAll
    static void keys() throws IOException {
        gpg = new GpgHome();
        rsa = gpg.generateRsa("Backup RSA <rsa@backup.test>", RSA_PASS);
        cv = gpg.generateCv25519("Backup Curve <cv@backup.test>", "");
        signer = gpg.generateSigningOnly("Backup Host <host@backup.test>", SIGN_PASS);
        rsaPublic = gpg.exportPublic(rsa.fingerprint());
        rsaSecret = gpg.exportSecret(rsa.fingerprint(), RSA_PASS);
        cvSecret = gpg.exportSecret(cv.fingerprint(), "");
        signerPublic = gpg.exportPublic(signer.fingerprint());
        signerSecret = gpg.exportSecret(signer.fingerprint(), SIGN_PASS);
        base = gpg.env();
    }

    @AfterAll
    static void close() throws IOException {
        gpg.close();
    }

    private static DecryptionConfig rsaDecryption(String... more) {
        String[] kv = new String[4 + more.length];
        kv[0] = "BACKUP_GPG_SECRET_KEY";
        kv[1] = rsaSecret.toString();
        kv[2] = "BACKUP_GPG_SECRET_KEY_PASSPHRASE";
        kv[3] = RSA_PASS;
        System.arraycopy(more, 0, kv, 4, more.length);
        return DecryptionConfig.fromEnv(env(base, kv));
    }

    @Test
    void gpgDecryptsWhatLifeboatEncryptsToAnRsaKey() throws IOException {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base,
                "BACKUP_GPG_RECIPIENT", rsa.fingerprint(), "BACKUP_GPG_PUBLIC_KEY", rsaPublic.toString()));
        assertEquals("public-key", config.mode());
        assertEquals(List.of(rsa.fingerprint()), config.recipientFingerprints());
        assertEquals(gpg.subkeyFingerprints(rsa.fingerprint()), config.encryptionKeyFingerprints());
        byte[] plain = random(1, 3_000_000);
        Path message = Files.write(gpg.newFile("msg", ".gpg"), encrypt(config, plain));

        GpgHome.Result result = gpg.decrypt(message, RSA_PASS);
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(plain, result.stdout());
        GpgHome.Result status = gpg.gpg(null, "--status-fd", "2", "--pinentry-mode", "loopback", "--passphrase-file",
                gpg.passFile(RSA_PASS).toString(), "--decrypt", message.toString());
        assertTrue(status.stderr().contains("DECRYPTION_INFO 2 9"), "MDC (2) and AES-256 (9): " + status.stderr());
        assertTrue(status.stderr().contains("DECRYPTION_OKAY"), status.stderr());

        String packets = gpg.gpg(null, "--list-packets", message.toString()).out();
        assertTrue(packets.contains("mdc_method: 2"), packets);
        assertFalse(packets.contains("compressed packet"), packets);
        assertTrue(packets.contains("literal data packet") && packets.contains("name=\"backup.dump.gz\""), packets);
    }

    @Test
    void gpgDecryptsWhatLifeboatEncryptsToACurve25519KeyFromTheDefaultKeyring() throws IOException {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", "cv@backup.test"));
        assertEquals(List.of(cv.fingerprint()), config.recipientFingerprints());
        byte[] plain = random(2, 1_500_000);
        GpgHome.Result result = gpg.decryptPipe(encrypt(config, plain), "");
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(plain, result.stdout());
    }

    @Test
    void twoRecipientsCanEachDecrypt() throws IOException {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base,
                "BACKUP_GPG_RECIPIENT", rsa.keyId() + ", " + cv.fingerprint()));
        assertEquals(List.of(rsa.fingerprint(), cv.fingerprint()), config.recipientFingerprints());
        byte[] plain = random(3, 2_100_000);
        byte[] message = encrypt(config, plain);

        assertArrayEquals(plain, decrypt(rsaDecryption(), message));
        assertArrayEquals(plain, decrypt(DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", cvSecret.toString())),
                message));
        List<String> ids = DecryptionConfig.recipientKeyIds(new java.io.ByteArrayInputStream(message));
        assertEquals(2, ids.size());
        assertTrue(ids.contains("0x" + gpg.subkeyFingerprints(cv.fingerprint()).get(0).substring(24)), ids.toString());
        GpgHome.Result result = gpg.decryptPipe(message, RSA_PASS);
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(plain, result.stdout());
    }

    @Test
    void passphraseModeBothWays() throws IOException {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_PASSPHRASE", SYM_PASS));
        assertEquals("passphrase", config.mode());
        byte[] plain = random(4, 1_000_000);
        GpgHome.Result result = gpg.decryptPipe(encrypt(config, plain), SYM_PASS);
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(plain, result.stdout());

        byte[] fromGpg = gpg.encryptSymmetric(plain, SYM_PASS);
        assertArrayEquals(plain, decrypt(DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_PASSPHRASE", SYM_PASS)), fromGpg));
    }

    @Test
    void lifeboatDecryptsWhatGpgEncrypts() throws IOException {
        byte[] text = ("COPY film (film_id, title) FROM stdin;\n1\tACADEMY DINOSAUR\n".repeat(20_000)).getBytes();
        assertArrayEquals(text, decrypt(rsaDecryption(), gpg.encrypt(text, null, null, rsa.fingerprint())));
        byte[] binary = random(5, 700_000);
        assertArrayEquals(binary, decrypt(DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", cvSecret.toString())),
                gpg.encrypt(binary, null, null, cv.fingerprint())));
    }

    @Test
    void signedMessageVerifiesWithGpgAndWithLifeboat() throws IOException {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", rsa.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", signerSecret.toString(), "BACKUP_GPG_SIGNING_KEY_PASSPHRASE", SIGN_PASS));
        assertEquals(signer.fingerprint(), config.signerFingerprint().orElseThrow());
        byte[] plain = random(6, 2_500_000);
        byte[] message = encrypt(config, plain);

        GpgHome.Result result = gpg.decryptPipe(message, RSA_PASS);
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("Good signature from \"Backup Host"), result.stderr());
        assertArrayEquals(plain, result.stdout());

        DecryptionConfig verifying = rsaDecryption("BACKUP_GPG_TRUSTED_SIGNERS", signer.fingerprint(),
                "BACKUP_GPG_PUBLIC_KEY", signerPublic.toString());
        try (DecryptingStream in = verifying.decrypt(new java.io.ByteArrayInputStream(message))) {
            assertArrayEquals(plain, in.readAllBytes());
            assertEquals(signer.fingerprint(), in.signerFingerprint().orElseThrow());
            assertEquals("backup.dump.gz", in.literalName());
        }
        // and a message gpg signed and encrypted (compressed, as gpg does by default)
        byte[] text = "x,y\n1,2\n".repeat(50_000).getBytes();
        byte[] gpgSigned = gpg.encrypt(text, signer.fingerprint(), SIGN_PASS, rsa.fingerprint());
        try (DecryptingStream in = verifying.decrypt(new java.io.ByteArrayInputStream(gpgSigned))) {
            assertArrayEquals(text, in.readAllBytes());
            assertEquals(signer.fingerprint(), in.signerFingerprint().orElseThrow());
        }
    }

    @Test
    void trustedSignersRefuseUnsignedAndWronglySignedMessages() throws IOException {
        DecryptionConfig verifying = rsaDecryption("BACKUP_GPG_TRUSTED_SIGNERS", signer.fingerprint());
        byte[] plain = random(7, 100_000);
        byte[] unsigned = gpg.encrypt(plain, null, null, rsa.fingerprint());
        UntrustedSignatureException e = assertThrows(UntrustedSignatureException.class,
                () -> decrypt(verifying, unsigned));
        assertTrue(e.getMessage().contains("not signed"), e.getMessage());

        byte[] otherSigner = gpg.encrypt(plain, cv.fingerprint(), "", rsa.fingerprint());
        e = assertThrows(UntrustedSignatureException.class, () -> decrypt(verifying, otherSigner));
        assertTrue(e.getMessage().contains("0x" + cv.keyId()), e.getMessage());
        assertTrue(e.getMessage().contains("BACKUP_GPG_TRUSTED_SIGNERS"), e.getMessage());

        // without trusted signers, both are read
        assertArrayEquals(plain, decrypt(rsaDecryption(), otherSigner));
    }

    @Test
    void wrongKeyIsAConfigErrorNamingTheKeyIdsBeforeTheDataIsRead() {
        EncryptionConfig config = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", rsa.fingerprint()));
        byte[] message;
        try {
            message = encrypt(config, random(8, 5_000_000));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        DecryptionConfig cvOnly = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", cvSecret.toString()));
        Pgp.CountingInput in = new Pgp.CountingInput(message);
        LifeboatException e = assertThrows(LifeboatException.class, () -> cvOnly.decrypt(in));
        assertEquals(ExitCode.USAGE, e.exitCode());
        String rsaSubkeyId = "0x" + gpg.subkeyFingerprints(rsa.fingerprint()).get(0).substring(24);
        assertEquals("the backup is encrypted to key(s) " + rsaSubkeyId + ", none of which is in BACKUP_GPG_SECRET_KEY",
                e.getMessage());
        assertTrue(in.count < 64 * 1024, "read " + in.count + " bytes of " + message.length);

        LifeboatException none = assertThrows(LifeboatException.class,
                () -> DecryptionConfig.fromEnv(env(base)).decrypt(new java.io.ByteArrayInputStream(message)));
        assertTrue(none.getMessage().contains("BACKUP_GPG_SECRET_KEY is not set"), none.getMessage());
    }

    @Test
    void wrongPassphrasesAreConfigErrorsThatNeverShowThePassphrase() throws IOException {
        byte[] toRsa = gpg.encrypt(random(9, 1000), null, null, rsa.fingerprint());
        DecryptionConfig wrongKeyPass = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", rsaSecret.toString(),
                "BACKUP_GPG_SECRET_KEY_PASSPHRASE", "not-the-right-one-x"));
        LifeboatException e = assertThrows(LifeboatException.class, () -> decrypt(wrongKeyPass, toRsa));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("BACKUP_GPG_SECRET_KEY_PASSPHRASE"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-right-one-x"), e.getMessage());

        DecryptionConfig noKeyPass = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", rsaSecret.toString()));
        e = assertThrows(LifeboatException.class, () -> decrypt(noKeyPass, toRsa));
        assertTrue(e.getMessage().contains("BACKUP_GPG_SECRET_KEY_PASSPHRASE is not set"), e.getMessage());

        byte[] symmetric = gpg.encryptSymmetric(random(10, 1000), SYM_PASS);
        DecryptionConfig wrongSym = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_PASSPHRASE", "wrong-symmetric-y"));
        e = assertThrows(LifeboatException.class, () -> decrypt(wrongSym, symmetric));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("BACKUP_GPG_PASSPHRASE"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-symmetric-y"), e.getMessage());

        e = assertThrows(LifeboatException.class, () -> decrypt(DecryptionConfig.fromEnv(env(base)), symmetric));
        assertTrue(e.getMessage().contains("BACKUP_GPG_PASSPHRASE is not set"), e.getMessage());
    }
}
