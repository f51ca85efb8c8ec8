package dev.lifeboat.crypto;

import dev.lifeboat.harness.GpgHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static dev.lifeboat.crypto.Pgp.decrypt;
import static dev.lifeboat.crypto.Pgp.encrypt;
import static dev.lifeboat.crypto.Pgp.env;
import static dev.lifeboat.crypto.Pgp.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Altered, truncated and unreadable messages never end in a clean end of stream. */
class DecryptingStreamTest {
    static GpgHome gpg;
    static EncryptionConfig encryption;
    static EncryptionConfig signedEncryption;
    static DecryptionConfig decryption;
    static DecryptionConfig verifying;
    static byte[] plain;
    static byte[] message;

    @BeforeAll
    static void setUp() throws IOException {
        gpg = new GpgHome();
        GpgHome.Key key = gpg.generateCv25519("Restore Key <restore@backup.test>", "");
        GpgHome.Key host = gpg.generateSigningOnly("Signing Host <sign@backup.test>", "");
        var base = gpg.env();
        encryption = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", key.fingerprint()));
        signedEncryption = EncryptionConfig.fromEnv(env(base, "BACKUP_GPG_RECIPIENT", key.fingerprint(),
                "BACKUP_GPG_SIGNING_KEY", gpg.exportSecret(host.fingerprint(), "").toString()));
        String secret = gpg.exportSecret(key.fingerprint(), "").toString();
        decryption = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", secret));
        verifying = DecryptionConfig.fromEnv(env(base, "BACKUP_GPG_SECRET_KEY", secret,
                "BACKUP_GPG_TRUSTED_SIGNERS", host.fingerprint()));
        plain = random(20, 3_000_000);
        message = encrypt(encryption, plain);
    }

    @AfterAll
    static void close() throws IOException {
        gpg.close();
    }

    @Test
    void intactMessageReadsBack() throws IOException {
        assertArrayEquals(plain, decrypt(decryption, message));
        byte[] signed = encrypt(signedEncryption, plain);
        assertArrayEquals(plain, decrypt(verifying, signed));
    }

    @Test
    void flippedByteIsAnIntegrityFailure() {
        for (int at : new int[]{message.length / 2, message.length - 30, message.length - 5}) {
            byte[] altered = message.clone();
            altered[at] ^= 0x01;
            IntegrityException e = assertThrows(IntegrityException.class, () -> decrypt(decryption, altered), "at " + at);
            assertTrue(e.getMessage().startsWith(IntegrityException.MESSAGE), e.getMessage());
        }
    }

    @Test
    void flippedByteInASignedMessageIsAnIntegrityFailure() throws IOException {
        byte[] signed = encrypt(signedEncryption, plain);
        for (int at : new int[]{signed.length / 3, signed.length - 100}) {
            byte[] altered = signed.clone();
            altered[at] ^= 0x40;
            assertThrows(IntegrityException.class, () -> decrypt(verifying, altered), "at " + at);
        }
    }

    @Test
    void truncatedMessageIsAnIOExceptionAtEveryCut() {
        for (int cut : new int[]{1, 40, 200, 5000, message.length / 2, message.length - 22, message.length - 1}) {
            byte[] truncated = Arrays.copyOf(message, cut);
            assertThrows(IOException.class, () -> decrypt(decryption, truncated), "cut at " + cut);
        }
    }

    @Test
    void everyReadAfterAFailureFailsAgain() throws IOException {
        byte[] truncated = Arrays.copyOf(message, message.length - 1);
        try (DecryptingStream in = decryption.decrypt(new ByteArrayInputStream(truncated))) {
            IOException first = assertThrows(IOException.class, in::readAllBytes);
            assertSame(first, assertThrows(IOException.class, in::read));
        }
    }

    @Test
    void anErrorOfTheSourceIsPassedOnUnchanged() throws IOException {
        IOException reset = new IOException("connection reset");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(message)) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 1_000_000) throw reset;
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        try (DecryptingStream in = decryption.decrypt(failing)) {
            assertSame(reset, assertThrows(IOException.class, in::readAllBytes));
        }
    }

    @Test
    void aMessageThatIsNotEncryptedIsRefused() {
        byte[] signedOnly = gpg.sign(random(21, 1000), "sign@backup.test", "");
        IntegrityException e = assertThrows(IntegrityException.class, () -> decrypt(decryption, signedOnly));
        assertTrue(e.getMessage().contains("not an encrypted OpenPGP message"), e.getMessage());
        assertThrows(IntegrityException.class, () -> decrypt(decryption, "hello, world".getBytes()));
    }

    @Test
    void emptyPlaintextRoundTrips() throws IOException {
        byte[] empty = encrypt(encryption, new byte[0]);
        assertEquals(0, decrypt(decryption, empty).length);
        GpgHome.Result result = gpg.decryptPipe(empty, "");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(0, result.stdout().length);
    }

    @Test
    void encryptingStreamClosesTwiceHarmlesslyAndClosesDownstreamOnce() throws IOException {
        int[] closes = {0};
        var sink = new java.io.ByteArrayOutputStream() {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        var out = encryption.encrypt(sink, "x");
        out.write(plain, 0, 1000);
        for (int i = 0; i < 1000; i++) out.write(plain[1000 + i]);
        out.close();
        out.close();
        assertEquals(1, closes[0]);
        assertArrayEquals(Arrays.copyOf(plain, 2000), decrypt(decryption, sink.toByteArray()));
    }

    @Test
    void encryptingStreamReportsADownstreamFailureAndStillClosesDownstreamOnce() throws IOException {
        int[] closes = {0};
        var broken = new java.io.OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 1_000_000) throw new IOException("upload failed");
            }

            @Override
            public void close() {
                closes[0]++;
            }
        };
        var out = encryption.encrypt(broken, "x");
        IOException e = assertThrows(IOException.class, () -> {
            try (out) {
                out.write(plain, 0, 1_400_000);
            }
        });
        assertEquals("upload failed", e.getMessage());
        assertEquals(1, closes[0]);
        out.close();
        assertEquals(1, closes[0]);
    }

    /** Not an assertion: prints how fast lifeboat encrypts and decrypts on this machine. */
    @Test
    void throughput() throws IOException {
        byte[] data = random(22, 64 << 20);
        for (EncryptionConfig config : new EncryptionConfig[]{encryption, signedEncryption}) {
            long start = System.nanoTime();
            byte[] encrypted = encrypt(config, data);
            double enc = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            byte[] decrypted = decrypt(config == encryption ? decryption : verifying, encrypted);
            double dec = (System.nanoTime() - start) / 1e9;
            assertEquals(data.length, decrypted.length);
            System.out.printf("%s: encrypt %.0f MB/s, decrypt %.0f MB/s%n", config.signerFingerprint().isPresent()
                    ? "signed" : "unsigned", data.length / 1e6 / enc, data.length / 1e6 / dec);
        }
    }
}
