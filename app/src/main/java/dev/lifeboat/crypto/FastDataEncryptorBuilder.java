package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The JCE's data encryptor for an integrity-protected packet (SEIPD v1 with MDC, which gpg 2.2
 * reads) with AES, except that the packet's bytes are encrypted by {@link CfbEncryptingStream}
 * (OpenSSL) when the system's libcrypto can be used: the same ciphertext, at about twice the
 * speed. The integrity code (MDC), the prefix and its random bytes, and every other choice stay
 * the JCE builder's; without OpenSSL everything is the JCE's.
 */
final class FastDataEncryptorBuilder implements PGPDataEncryptorBuilder {
    private final JcePGPDataEncryptorBuilder jce;
    private final Optional<OpenSslAes> openSsl;

    /** AES with the integrity packet, random bytes from {@code random}. */
    FastDataEncryptorBuilder(int algorithm, SecureRandom random, Optional<OpenSslAes> openSsl) {
        this.jce = new JcePGPDataEncryptorBuilder(algorithm).setWithIntegrityPacket(true).setSecureRandom(random);
        this.openSsl = openSsl;
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
        PGPDataEncryptor base = jce.build(keyBytes);
        int algorithm = jce.getAlgorithm();
        boolean aes = algorithm == SymmetricKeyAlgorithmTags.AES_128 || algorithm == SymmetricKeyAlgorithmTags.AES_192
                || algorithm == SymmetricKeyAlgorithmTags.AES_256;
        // SEIPD v1 (the MDC's calculator is there) with AES; anything else is the JCE's as built
        if (!aes || openSsl.isEmpty() || base.getBlockSize() != 16 || base.getIntegrityCalculator() == null
                || base instanceof org.bouncycastle.openpgp.operator.PGPAEADDataEncryptor) return base;
        byte[] key = keyBytes.clone();
        OpenSslAes aesImpl = openSsl.get();
        return new PGPDataEncryptor() {
            @Override
            public OutputStream getOutputStream(OutputStream out) {
                try {
                    return new CfbEncryptingStream(out, aesImpl, key);
                } catch (RuntimeException e) {
                    return base.getOutputStream(out); // OpenSSL refused this key: the JCE, as before
                } finally {
                    java.util.Arrays.fill(key, (byte) 0);
                }
            }

            @Override
            public PGPDigestCalculator getIntegrityCalculator() {
                return base.getIntegrityCalculator();
            }

            @Override
            public int getBlockSize() {
                return base.getBlockSize();
            }
        };
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes, byte[] associatedData) throws PGPException {
        return jce.build(keyBytes, associatedData);
    }

    @Override
    public int getAlgorithm() {
        return jce.getAlgorithm();
    }

    @Override
    public int getAeadAlgorithm() {
        return jce.getAeadAlgorithm();
    }

    @Override
    public int getChunkSize() {
        return jce.getChunkSize();
    }

    @Override
    public boolean isV5StyleAEAD() {
        return jce.isV5StyleAEAD();
    }

    @Override
    public SecureRandom getSecureRandom() {
        return jce.getSecureRandom();
    }

    // The settings go to the JCE builder; a packet without the MDC (or an AEAD one) is then the
    // JCE's own (build() hands those out unchanged), lifeboat only ever asks for SEIPD v1.
    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
        jce.setWithIntegrityPacket(withIntegrityPacket);
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
        jce.setWithAEAD(aeadAlgorithm, chunkSize);
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD() {
        jce.setUseV5AEAD();
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD() {
        jce.setUseV6AEAD();
        return this;
    }
}
