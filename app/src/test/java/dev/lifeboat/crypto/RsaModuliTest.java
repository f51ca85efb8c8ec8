package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.RSAPublicBCPGKey;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof that an RSA modulus is composite runs ahead of the key's first use and is
 * remembered by Bouncy Castle: through OpenSSL at once when 2^(n-1) mod n shows it, else by
 * Bouncy Castle's own proof on a thread. A modulus that fails is not remembered, so its key still
 * fails where it always did. Whether a modulus is remembered is read from Bouncy Castle's own
 * cache.
 */
class RsaModuliTest {
    private static final BigInteger E = BigInteger.valueOf(65537);

    private static PGPPublicKey rsaKey(BigInteger modulus) throws Exception {
        return new PGPPublicKey(new PublicKeyPacket(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL, new Date(),
                new RSAPublicBCPGKey(modulus, E)), new BcKeyFingerprintCalculator());
    }

    private static boolean remembered(BigInteger modulus) throws Exception {
        Field f = RSAKeyParameters.class.getDeclaredField("validated");
        f.setAccessible(true);
        Object cache = f.get(null);
        Method contains = cache.getClass().getDeclaredMethod("contains", BigInteger.class);
        contains.setAccessible(true);
        return (boolean) contains.invoke(cache, modulus);
    }

    /**
     * A Carmichael number, (6k+1)(12k+1)(18k+1) with all three prime (k = 2^64 + 5129): composite,
     * with no small factor, and every base prime to it, 2 among them, passes Fermat's test.
     */
    private static final BigInteger K = new BigInteger("18446744073709556745");
    private static final BigInteger CARMICHAEL = K.multiply(BigInteger.valueOf(6)).add(BigInteger.ONE)
            .multiply(K.multiply(BigInteger.valueOf(12)).add(BigInteger.ONE))
            .multiply(K.multiply(BigInteger.valueOf(18)).add(BigInteger.ONE));

    private static BigInteger realModulus() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return ((RSAPublicKey) g.generateKeyPair().getPublic()).getModulus();
    }

    private static void awaitProofs(Thread t) throws InterruptedException {
        if (t != null) t.join();
    }

    @Test
    void aRealModulusIsProvenThroughOpenSslAtOnce() throws Exception {
        assertTrue(OpenSslModuli.load().isPresent(), "libcrypto (a dependency of libpq) is on this machine");
        BigInteger n = realModulus();
        assertFalse(remembered(n));
        assertNull(RsaModuli.proveInBackground(List.of(rsaKey(n))), "nothing left for a thread");
        assertTrue(remembered(n));
    }

    @Test
    void openSslsArithmeticIsBigIntegers() {
        OpenSslModuli ssl = OpenSslModuli.load().orElseThrow();
        SecureRandom random = new SecureRandom();
        for (int bits : new int[] {64, 1024, 3072}) {
            BigInteger m = new BigInteger(bits, random).setBit(bits - 1).setBit(0);
            BigInteger base = new BigInteger(bits - 1, random);
            BigInteger e = new BigInteger(bits, random);
            assertEquals(base.modPow(e, m), ssl.modPow(base, e, m), bits + " bits");
        }
    }

    @Test
    void aCompositeThatBaseTwoCannotExposeIsLeftToBouncyCastlesProof() throws Exception {
        assertEquals(BigInteger.ONE, BigInteger.TWO.modPow(CARMICHAEL.subtract(BigInteger.ONE), CARMICHAEL));
        assertFalse(RsaModuli.provenByOpenSsl(CARMICHAEL, E));
        assertFalse(remembered(CARMICHAEL));
        Thread proofs = RsaModuli.proveInBackground(List.of(rsaKey(CARMICHAEL)));
        assertTrue(proofs != null, "Bouncy Castle's proof runs on its thread");
        proofs.join();
        assertTrue(remembered(CARMICHAEL), "its Miller-Rabin rounds prove what Fermat's test cannot");
    }

    @Test
    void aPrimeModulusIsNotRememberedAndStillFailsItsUse() throws Exception {
        BigInteger prime = BigInteger.probablePrime(1024, new SecureRandom());
        assertFalse(RsaModuli.provenByOpenSsl(prime, E), "2^(p-1) mod p is 1 for every prime");
        awaitProofs(RsaModuli.proveInBackground(List.of(rsaKey(prime))));
        assertFalse(remembered(prime));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RSAKeyParameters(false, prime, E));
        assertEquals("RSA modulus is not composite", e.getMessage());
    }

    @Test
    void keysThatAreNotRsaStartNothing() {
        assertNull(RsaModuli.proveInBackground(List.of()));
    }
}
