package dev.lifeboat.crypto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * lifeboat's CFB decryption gives exactly the JCE's {@code AES/CFB/NoPadding} plaintext (zero
 * IV), for every key size, for lengths around the block and run boundaries (short final
 * blocks included), however the ciphertext arrives and however the plaintext is read.
 */
class CfbDecryptingStreamTest {
    /** A stream that hands out at most a few random bytes per read, as a network stream may. */
    private static InputStream trickle(byte[] data, Random r) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(40)));
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    private static byte[] readAll(InputStream in, Random r, boolean oneByOne) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[1 + r.nextInt(100_000)];
        while (true) {
            if (oneByOne && r.nextInt(4) == 0) {
                int x = in.read();
                if (x < 0) break;
                out.write(x);
                continue;
            }
            int n = in.read(b, 0, b.length);
            if (n < 0) break;
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void decryptsExactlyAsTheJceDoes() throws Exception {
        Random r = new Random(42);
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 65_535, 65_536, 65_537, 65_536 + 15, 65_536 + 16, 65_536 + 17,
                3 * 65_536 + 5, 1_000_003};
        AesCases.eachKeySizeAndLength(r, lengths, (key, plain, cipher, what) -> {
            try (InputStream whole = new CfbDecryptingStream(new ByteArrayInputStream(cipher), key)) {
                assertArrayEquals(plain, readAll(whole, r, false), what + ", read whole");
            }
            try (InputStream bits = new CfbDecryptingStream(trickle(cipher, r), key)) {
                assertArrayEquals(plain, readAll(bits, r, true), what + ", arriving in pieces");
            }
        });
    }

    @Test
    void endsOnceAndSaysSo() throws Exception {
        byte[] key = new byte[32];
        byte[] cipher = AesCases.jceEncrypt(key, new byte[20]);
        try (InputStream in = new CfbDecryptingStream(new ByteArrayInputStream(cipher), key)) {
            assertEquals(20, in.readAllBytes().length);
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[8], 0, 8));
            assertEquals(0, in.read(new byte[8], 0, 0));
        }
    }
}
