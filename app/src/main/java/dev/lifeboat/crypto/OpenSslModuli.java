package dev.lifeboat.crypto;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Modular exponentiation through the system's OpenSSL ({@link LibCrypto}), for
 * {@link RsaModuli}'s proof that a key's RSA modulus is composite. In a JVM that has just started
 * the same arithmetic in {@code BigInteger} runs in the interpreter, then in code the C2 compiler
 * builds for it on the spot: about a fifth of a second of CPU, in the seconds when the backup's
 * start waits for it. OpenSSL takes a few milliseconds. {@link #load()} is empty when the library
 * is missing, fails a known-answer test, or {@code LIFEBOAT_OPENSSL=off}.
 */
final class OpenSslModuli {
    /** The C functions used (openssl/bn.h; the same in OpenSSL 1.1 and 3). */
    interface Api extends Library {
        Pointer BN_CTX_new();

        void BN_CTX_free(Pointer ctx);

        Pointer BN_new();

        void BN_free(Pointer a);

        Pointer BN_bin2bn(byte[] s, int length, Pointer ret);

        int BN_bn2bin(Pointer a, byte[] to);

        int BN_num_bits(Pointer a);

        int BN_mod_exp(Pointer r, Pointer a, Pointer p, Pointer m, Pointer ctx);
    }

    /** Loaded on first use, once per process (the holder class's initialisation). */
    private static final class Loaded {
        static final Optional<OpenSslModuli> MODULI = LibCrypto.find(Api.class, OpenSslModuli::new, OpenSslModuli::passesKnownAnswer);
    }

    private final Api api;

    private OpenSslModuli(Api api) {
        this.api = api;
    }

    /** The library, or empty when it cannot be used here. */
    static Optional<OpenSslModuli> load() {
        return Loaded.MODULI;
    }

    /**
     * Known answers, computed elsewhere (not by {@code BigInteger} here, whose arithmetic is what
     * a start-up cannot afford): 3^(n-1) mod n for n = (2^61 - 1)(2^89 - 1), a product of two
     * Mersenne primes, and for the Mersenne prime 2^127 - 1, where it is 1.
     */
    private boolean passesKnownAnswer() {
        BigInteger three = BigInteger.valueOf(3);
        BigInteger composite = BigInteger.ONE.shiftLeft(61).subtract(BigInteger.ONE)
                .multiply(BigInteger.ONE.shiftLeft(89).subtract(BigInteger.ONE));
        BigInteger prime = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        return modPow(three, composite.subtract(BigInteger.ONE), composite).equals(new BigInteger("d1abb64ea9f3df9bd8bb092b36de37365a9b3", 16))
                && modPow(three, prime.subtract(BigInteger.ONE), prime).equals(BigInteger.ONE);
    }

    /** {@code base}^{@code exponent} mod {@code modulus}, all non-negative, the modulus odd. */
    BigInteger modPow(BigInteger base, BigInteger exponent, BigInteger modulus) {
        Pointer ctx = api.BN_CTX_new();
        Pointer a = bn(base);
        Pointer p = bn(exponent);
        Pointer m = bn(modulus);
        Pointer r = api.BN_new();
        try {
            if (ctx == null || a == null || p == null || m == null || r == null || api.BN_mod_exp(r, a, p, m, ctx) != 1) {
                throw new IllegalStateException("OpenSSL's modular exponentiation failed");
            }
            byte[] out = new byte[(api.BN_num_bits(r) + 7) / 8];
            api.BN_bn2bin(r, out);
            return new BigInteger(1, out);
        } finally {
            for (Pointer x : new Pointer[] {a, p, m, r}) if (x != null) api.BN_free(x);
            if (ctx != null) api.BN_CTX_free(ctx);
        }
    }

    private Pointer bn(BigInteger x) {
        if (x.signum() < 0) throw new IllegalArgumentException("negative");
        byte[] b = x.toByteArray(); // big-endian; a leading zero byte is harmless
        return api.BN_bin2bn(b, b.length, null);
    }
}
