package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.AEADEncDataPacket;
import org.bouncycastle.bcpg.SymmetricEncIntegrityPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PGPDataDecryptor;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

import java.io.InputStream;
import java.security.GeneralSecurityException;

/**
 * The JCE's session-key decryptor, except that an integrity-protected packet (SEIPD v1, what
 * lifeboat and gpg 2.2 write) encrypted with AES is decrypted by {@link CfbDecryptingStream}.
 * The packet's prefix check and its integrity check (MDC) stay Bouncy Castle's; every other
 * kind of packet goes to the JCE's decryptor unchanged.
 */
final class FastSessionKeyDecryptor implements SessionKeyDataDecryptorFactory {
    private final SessionKeyDataDecryptorFactory jce;

    FastSessionKeyDecryptor(PGPSessionKey sessionKey) {
        this.jce = new JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey);
    }

    @Override
    public PGPSessionKey getSessionKey() {
        return jce.getSessionKey();
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(boolean withIntegrityPacket, int algorithm, byte[] key) throws PGPException {
        PGPDataDecryptor base = jce.createDataDecryptor(withIntegrityPacket, algorithm, key);
        boolean aes = algorithm == SymmetricKeyAlgorithmTags.AES_128 || algorithm == SymmetricKeyAlgorithmTags.AES_192
                || algorithm == SymmetricKeyAlgorithmTags.AES_256;
        if (!withIntegrityPacket || !aes || base.getBlockSize() != 16) return base;
        byte[] keyCopy = key.clone();
        return new PGPDataDecryptor() {
            @Override
            public InputStream getInputStream(InputStream in) {
                try {
                    return new CfbDecryptingStream(in, keyCopy);
                } catch (GeneralSecurityException e) {
                    return base.getInputStream(in); // no AES/ECB in this JCE: the JCE's CFB, as before
                }
            }

            @Override
            public int getBlockSize() {
                return base.getBlockSize();
            }

            @Override
            public PGPDigestCalculator getIntegrityCalculator() {
                return base.getIntegrityCalculator();
            }
        };
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(AEADEncDataPacket packet, PGPSessionKey sessionKey) throws PGPException {
        return jce.createDataDecryptor(packet, sessionKey);
    }

    @Override
    public PGPDataDecryptor createDataDecryptor(SymmetricEncIntegrityPacket packet, PGPSessionKey sessionKey) throws PGPException {
        return jce.createDataDecryptor(packet, sessionKey);
    }
}
