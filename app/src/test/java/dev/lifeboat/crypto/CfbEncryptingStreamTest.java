package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lifeboat's CFB encryption through OpenSSL's CBC gives exactly the JCE's
 * {@code AES/CFB/NoPadding} ciphertext (zero IV), for every key size, for lengths around the
 * block and run boundaries, however the plaintext is cut into writes; and the OpenPGP data
 * encryptor that uses it writes what the JCE's writes.
 */
class CfbEncryptingStreamTest {
    private static OpenSslAes openSsl() {
        Optional<OpenSslAes> aes = OpenSslAes.load();
        // libpq (and so pg_dump) depends on libcrypto: a host that runs these tests has it
        assertTrue(aes.isPresent(), "the system's libcrypto (libssl3) loads through JNA and passes the known answer");
        return aes.get();
    }

    /** Writes {@code data} in random pieces: single bytes, short writes and long ones. */
    private static void writeInPieces(OutputStream out, byte[] data, Random r) throws IOException {
        int off = 0;
        while (off < data.length) {
            int kind = r.nextInt(4);
            if (kind == 0) {
                out.write(data[off++]);
                continue;
            }
            int max = kind == 1 ? 40 : kind == 2 ? 70_000 : 700_000;
            int n = Math.min(data.length - off, 1 + r.nextInt(max));
            out.write(data, off, n);
            off += n;
        }
    }

    @Test
    void encryptsExactlyAsTheJceDoes() throws Exception {
        OpenSslAes aes = openSsl();
        Random r = new Random(7);
        int run = CfbEncryptingStream.RUN;
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, run - 17, run - 16, run - 1, run, run + 1, run + 15, run + 16,
                run + 17, 3 * run + 5, 1_000_003};
        AesCases.eachKeySizeAndLength(r, lengths, (key, plain, expected, what) -> {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            try (OutputStream out = new CfbEncryptingStream(whole, aes, key)) {
                out.write(plain, 0, plain.length);
            }
            assertArrayEquals(expected, whole.toByteArray(), what + ", one write");
            ByteArrayOutputStream pieces = new ByteArrayOutputStream();
            try (OutputStream out = new CfbEncryptingStream(pieces, aes, key)) {
                writeInPieces(out, plain, r);
            }
            assertArrayEquals(expected, pieces.toByteArray(), what + ", in pieces");
        });
    }

    @Test
    void closesItsStreamOnceAndRefusesWritesAfterwards() throws Exception {
        int[] closes = {0};
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        OutputStream out = new CfbEncryptingStream(sink, openSsl(), new byte[32]);
        out.write(new byte[20]);
        out.close();
        out.close();
        assertEquals(1, closes[0]);
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void theOpenPgpEncryptorWritesWhatTheJcesWrites() throws Exception {
        byte[] key = new byte[32];
        new Random(3).nextBytes(key);
        byte[] plain = new byte[2_000_000];
        new Random(4).nextBytes(plain);
        PGPDataEncryptor fast = new FastDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, new SecureRandom(),
                Optional.of(openSsl())).build(key);
        PGPDataEncryptor jce = new FastDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, new SecureRandom(),
                Optional.empty()).build(key);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        OutputStream fastOut = fast.getOutputStream(a);
        OutputStream jceOut = jce.getOutputStream(b);
        assertTrue(fastOut instanceof CfbEncryptingStream, "OpenSSL encrypts when it is here");
        assertNotSame(fastOut.getClass(), jceOut.getClass());
        Random r = new Random(5);
        try (fastOut) {
            writeInPieces(fastOut, plain, r);
        }
        try (jceOut) {
            writeInPieces(jceOut, plain, r);
        }
        assertArrayEquals(b.toByteArray(), a.toByteArray());
        assertEquals(jce.getBlockSize(), fast.getBlockSize());
        assertTrue(fast.getIntegrityCalculator() != null, "the integrity packet (MDC) is written");
    }
}
