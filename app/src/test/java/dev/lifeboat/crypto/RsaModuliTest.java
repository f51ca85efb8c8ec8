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
 * remembered by Bouncy Castle; a modulus that fails it is not remembered, so its key still
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

    @Test
    void aRealModulusIsProvenAheadOfUse() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        BigInteger n = ((RSAPublicKey) g.generateKeyPair().getPublic()).getModulus();
        assertFalse(remembered(n));
        RsaModuli.proveInBackground(List.of(rsaKey(n))).join();
        assertTrue(remembered(n));
    }

    @Test
    void aPrimeModulusIsNotRememberedAndStillFailsItsUse() throws Exception {
        BigInteger prime = BigInteger.probablePrime(1024, new SecureRandom());
        RsaModuli.proveInBackground(List.of(rsaKey(prime))).join();
        assertFalse(remembered(prime));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RSAKeyParameters(false, prime, E));
        assertEquals("RSA modulus is not composite", e.getMessage());
    }

    @Test
    void keysThatAreNotRsaStartNothing() {
        assertNull(RsaModuli.proveInBackground(List.of()));
    }
}
