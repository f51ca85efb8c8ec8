package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.RSAPublicBCPGKey;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.openpgp.PGPPublicKey;

import java.math.BigInteger;
import java.util.List;

/**
 * Bouncy Castle proves an RSA modulus composite (a Miller-Rabin round, see {@code Main}) the
 * first time a key with it is used, and remembers the moduli it has proven. Each proof takes a
 * tenth of a second in a JVM that has just started (the arithmetic still runs in the
 * interpreter), and the first use of a recipient's or a secret key comes when the stream is
 * about to start. {@link #proveInBackground} runs the same proof on a thread of its own as soon
 * as the keys are known, so the stream finds it done. It changes nothing else: a modulus that
 * fails is not remembered, and its key fails where it always did, with the same message.
 */
final class RsaModuli {
    private RsaModuli() {}

    /** Starts the proofs; returns their thread (tests wait for it), or null when no key is RSA. */
    static Thread proveInBackground(List<PGPPublicKey> keys) {
        List<BigInteger> moduli = keys.stream()
                .filter(k -> k.getAlgorithm() == PublicKeyAlgorithmTags.RSA_GENERAL
                        || k.getAlgorithm() == PublicKeyAlgorithmTags.RSA_ENCRYPT)
                .map(k -> ((RSAPublicBCPGKey) k.getPublicKeyPacket().getKey()).getModulus())
                .toList();
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
}
