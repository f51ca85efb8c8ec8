package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;

/**
 * The OpenPGP writer: plaintext in, an encrypted message out. Layers, outside in: the key
 * packets (one PKESK per recipient, or one SKESK), SEIPD v1 (AES-256 with MDC; encrypted through
 * OpenSSL when it is here, see {@link FastDataEncryptorBuilder}), and inside
 * it an optional one-pass signature, the literal data (binary) and the signature. There is
 * no compression layer: the data is compressed before it gets here.
 *
 * <p>{@link #close()} closes the literal, signature and encrypted layers in that order,
 * then {@code downstream} exactly once, and reports the first error; a second close does
 * nothing.
 */
final class EncryptingStream extends OutputStream {
    private static final int BUFFER = 1 << 20;

    /** A private signing key and its public half. */
    record Signer(PGPPrivateKey privateKey, PGPPublicKey publicKey) {
    }

    private final OutputStream downstream;
    private final PGPEncryptedDataGenerator encryptedGenerator;
    private final OutputStream encrypted;
    private final PGPLiteralDataGenerator literalGenerator = new PGPLiteralDataGenerator();
    private final OutputStream literal;
    private final PGPSignatureGenerator signature;
    private boolean closed;

    EncryptingStream(OutputStream downstream, List<PGPKeyEncryptionMethodGenerator> methods, Signer signer,
                     String literalName, SecureRandom random) throws IOException {
        this.downstream = downstream;
        this.encryptedGenerator = new PGPEncryptedDataGenerator(
                new FastDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, random, OpenSslAes.load()));
        methods.forEach(encryptedGenerator::addMethod);
        try {
            this.encrypted = encryptedGenerator.open(downstream, new byte[BUFFER]);
            this.signature = signer == null ? null : startSignature(signer);
        } catch (PGPException e) {
            throw new IOException("cannot start the OpenPGP message: " + e.getMessage(), e);
        }
        this.literal = literalGenerator.open(encrypted, PGPLiteralData.BINARY, literalName(literalName), new Date(),
                new byte[BUFFER]);
    }

    private PGPSignatureGenerator startSignature(Signer signer) throws PGPException, IOException {
        PGPPublicKey pub = signer.publicKey();
        PGPSignatureGenerator gen = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256), pub);
        gen.init(PGPSignature.BINARY_DOCUMENT, signer.privateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date());
        hashed.setIssuerFingerprint(false, pub);
        gen.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, pub.getKeyID());
        gen.setUnhashedSubpackets(unhashed.generate());
        gen.generateOnePassVersion(false).encode(encrypted);
        return gen;
    }

    /** The literal packet holds at most 255 bytes of name; the rest is dropped. */
    private static String literalName(String name) {
        String n = name == null ? "" : name;
        while (n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) n = n.substring(0, n.length() - 1);
        return n;
    }

    @Override
    public void write(int b) throws IOException {
        literal.write(b);
        if (signature != null) signature.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        literal.write(b, off, len);
        if (signature != null) signature.update(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        IOException first = null;
        try {
            literalGenerator.close();
            if (signature != null) signature.generate().encode(encrypted);
            encryptedGenerator.close();
        } catch (IOException e) {
            first = e;
        } catch (PGPException e) {
            first = new IOException("cannot sign the OpenPGP message: " + e.getMessage(), e);
        }
        try {
            downstream.close();
        } catch (IOException e) {
            if (first == null) first = e;
            else first.addSuppressed(e);
        }
        if (first != null) throw first;
    }
}
