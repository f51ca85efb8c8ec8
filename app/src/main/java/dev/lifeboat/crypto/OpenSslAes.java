package dev.lifeboat.crypto;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.HexFormat;
import java.util.Optional;

/**
 * The system's OpenSSL (libcrypto, which libpq and so pg_dump already depend on) through JNA:
 * AES in CBC mode, the one mode whose encryption OpenSSL runs on the CPU's AES instructions at
 * their full speed, a block after another (about 1 GB/s here, against about 450 MB/s for the
 * JCE's CFB, whose every block is a call of its own). {@link CfbEncryptingStream} turns it into
 * OpenPGP's CFB. {@link #load()} is empty when the library is missing, fails a known-answer
 * test, or {@code LIFEBOAT_OPENSSL=off}; callers then use the JCE.
 */
final class OpenSslAes {
    /** The C functions used (openssl/evp.h; the same in OpenSSL 1.1 and 3). */
    interface Api extends Library {
        Pointer EVP_CIPHER_CTX_new();

        void EVP_CIPHER_CTX_free(Pointer ctx);

        Pointer EVP_aes_128_cbc();

        Pointer EVP_aes_192_cbc();

        Pointer EVP_aes_256_cbc();

        int EVP_EncryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, Pointer key, Pointer iv);

        int EVP_CIPHER_CTX_set_padding(Pointer ctx, int padding);

        int EVP_EncryptUpdate(Pointer ctx, Pointer out, int[] outLength, Pointer in, int inLength);
    }

    /** Loaded on first use, once per process (the holder class's initialisation). */
    private static final class Loaded {
        static final Optional<OpenSslAes> AES = LibCrypto.find(Api.class, OpenSslAes::new, OpenSslAes::passesKnownAnswer);
    }

    private final Api api;

    private OpenSslAes(Api api) {
        this.api = api;
    }

    /** The library, or empty when it cannot be used here. */
    static Optional<OpenSslAes> load() {
        return Loaded.AES;
    }

    /** FIPS-197 appendix C.3 (AES-256): one block through CBC with a zero IV is the bare cipher. */
    private boolean passesKnownAnswer() {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        byte[] plain = hex.parseHex("00112233445566778899aabbccddeeff");
        byte[] expected = hex.parseHex("8ea2b7ca516745bfeafc49904b496089");
        try (Cbc cbc = cbc(key)) {
            Memory in = new Memory(16);
            Memory out = new Memory(16);
            in.write(0, plain, 0, 16);
            cbc.encrypt(in, out, 16);
            return java.util.Arrays.equals(out.getByteArray(0, 16), expected);
        }
    }

    /** A CBC encryption with {@code key} (16, 24 or 32 bytes), a zero IV and no padding. */
    Cbc cbc(byte[] key) {
        Pointer cipher = switch (key.length) {
            case 16 -> api.EVP_aes_128_cbc();
            case 24 -> api.EVP_aes_192_cbc();
            case 32 -> api.EVP_aes_256_cbc();
            default -> throw new IllegalArgumentException("AES keys have 16, 24 or 32 bytes, not " + key.length);
        };
        Pointer ctx = api.EVP_CIPHER_CTX_new();
        if (ctx == null) throw new IllegalStateException("OpenSSL could not allocate a cipher context");
        Memory k = new Memory(key.length);
        Memory iv = new Memory(16);
        try {
            k.write(0, key, 0, key.length);
            iv.clear();
            if (api.EVP_EncryptInit_ex(ctx, cipher, null, k, iv) != 1 || api.EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
                api.EVP_CIPHER_CTX_free(ctx);
                throw new IllegalStateException("OpenSSL refused the AES key");
            }
            return new Cbc(ctx);
        } finally {
            k.clear(); // the key stays only in the context, which OpenSSL wipes when it is freed
        }
    }

    /** One CBC chain: each call continues where the last one stopped. */
    final class Cbc implements AutoCloseable {
        private Pointer ctx;
        private final int[] written = new int[1];

        private Cbc(Pointer ctx) {
            this.ctx = ctx;
        }

        /** Encrypts {@code length} bytes (whole blocks) of {@code in} into {@code out}. */
        void encrypt(Pointer in, Pointer out, int length) {
            if (api.EVP_EncryptUpdate(ctx, out, written, in, length) != 1 || written[0] != length) {
                throw new IllegalStateException("OpenSSL AES encryption failed");
            }
        }

        @Override
        public void close() {
            if (ctx != null) api.EVP_CIPHER_CTX_free(ctx);
            ctx = null;
        }
    }
}
