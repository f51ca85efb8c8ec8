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
        if (!aes || openSsl.isEmpty() || base.getBlockSize() != 16 || base.getIntegrityCalculator() == null) return base;
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

    /** Always with the integrity packet: the only packet lifeboat writes. */
    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
        if (!withIntegrityPacket) throw new UnsupportedOperationException("lifeboat always writes the integrity packet");
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
        throw new UnsupportedOperationException("lifeboat writes SEIPD v1 (MDC), which gpg 2.2 reads");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD() {
        throw new UnsupportedOperationException("lifeboat writes SEIPD v1 (MDC), which gpg 2.2 reads");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD() {
        throw new UnsupportedOperationException("lifeboat writes SEIPD v1 (MDC), which gpg 2.2 reads");
    }
}
