package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.RSAPublicBCPGKey;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.Properties;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bouncy Castle proves an RSA modulus composite (a Miller-Rabin round, see {@code Main}) the
 * first time a key with it is used, and remembers the moduli it has proven. Each proof takes a
 * tenth of a second and more in a JVM that has just started (the arithmetic runs in the
 * interpreter, then in code the C2 compiler builds for it meanwhile), and the first use of a
 * recipient's or a secret key comes when the stream is about to start.
 *
 * <p>{@link #proveInBackground} proves them first through OpenSSL ({@link OpenSslModuli}), in a
 * few milliseconds: Fermat's test with base 2. If 2^(n-1) mod n is not 1, n is not prime (for a
 * prime it always is), which is all Bouncy Castle's proof establishes; the modulus must first pass
 * Bouncy Castle's own checks that come before its proof (odd, its size limit, no small factor).
 * Such a modulus is handed to Bouncy Castle as proven. Any other (a prime, a composite that base 2
 * cannot expose, OpenSSL missing) gets Bouncy Castle's own proof on a thread of its own as soon
 * as the keys are known, so the stream finds it done. It changes nothing else: a modulus that
 * fails is not remembered, and its key fails where it always did, with the same message.
 */
final class RsaModuli {
    private RsaModuli() {}

    /**
     * Proves what OpenSSL can at once and starts Bouncy Castle's proofs of the rest; returns
     * their thread (tests wait for it), or null when nothing is left to prove.
     */
    static Thread proveInBackground(List<PGPPublicKey> keys) {
        List<BigInteger> moduli = new ArrayList<>();
        for (PGPPublicKey k : keys) {
            if (k.getAlgorithm() != PublicKeyAlgorithmTags.RSA_GENERAL && k.getAlgorithm() != PublicKeyAlgorithmTags.RSA_ENCRYPT) continue;
            RSAPublicBCPGKey rsa = (RSAPublicBCPGKey) k.getPublicKeyPacket().getKey();
            if (!provenByOpenSsl(rsa.getModulus(), rsa.getPublicExponent())) moduli.add(rsa.getModulus());
        }
        if (moduli.isEmpty()) return null;
        Thread t = new Thread(() -> {
            for (BigInteger n : moduli) {
                try {
                    RSAKeyParameters.validateModulus(n);
                } catch (RuntimeException ignored) {
                    // not remembered: the key's own use fails and says why
                }
            }
        }, "lifeboat-rsa-moduli");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * True when {@code n} passes Bouncy Castle's checks that precede its proof and OpenSSL shows
     * 2^(n-1) mod n is not 1; Bouncy Castle then holds it as proven. False leaves it to Bouncy
     * Castle, as does every failure here.
     */
    static boolean provenByOpenSsl(BigInteger n, BigInteger publicExponent) {
        if (!n.testBit(0) || n.bitLength() < 3) return false;
        if (Properties.isOverrideSet("org.bouncycastle.rsa.allow_unsafe_mod")) return false;
        if (n.bitLength() > Properties.asInteger("org.bouncycastle.rsa.max_size", 16384)) return false;
        if (BigIntegers.hasAnySmallFactors(n)) return false;
        Optional<OpenSslModuli> ssl = OpenSslModuli.load();
        if (ssl.isEmpty()) return false;
        try {
            BigInteger two = BigInteger.TWO;
            if (ssl.get().modPow(two, n.subtract(BigInteger.ONE), n).equals(BigInteger.ONE)) return false;
            new RSAKeyParameters(false, n, publicExponent, true); // "internal": remembered as validated, as its own proof does
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
