package dev.lifeboat.crypto;

import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plaintext of an OpenPGP message. When the literal data ends, the MDC (and the
 * signature, when trusted signers are set) is checked before -1 is returned; a failed check,
 * a truncated message or a packet that does not parse after decryption is an
 * {@link IntegrityException}, never a clean end of stream. An I/O error of the source itself
 * (a broken connection) is passed on unchanged. Once failed, every further read fails again.
 * Closing before the end skips the checks and closes the source.
 */
public final class DecryptingStream extends InputStream {
    private final Source source;
    private final PGPEncryptedData encrypted;
    private final InputStream literal;
    private final JcaPGPObjectFactory rest;
    private final SignatureCheck signature;
    private final String literalName;
    private String signerFingerprint;
    private IOException failure;
    private boolean done;

    DecryptingStream(Source source, PGPEncryptedData encrypted, InputStream literal, JcaPGPObjectFactory rest,
                     SignatureCheck signature, String literalName) {
        this.source = source;
        this.encrypted = encrypted;
        this.literal = literal;
        this.rest = rest;
        this.signature = signature;
        this.literalName = literalName;
    }

    /** The file name stored in the literal data packet. */
    public String literalName() {
        return literalName;
    }

    /** After the end of the stream: the primary fingerprint of the trusted signer that was verified. */
    public Optional<String> signerFingerprint() {
        return Optional.ofNullable(signerFingerprint);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) throw failure;
        if (done) return -1;
        if (len == 0) return 0;
        try {
            int n = literal.read(b, off, len);
            if (n < 0) {
                finish();
                done = true;
                return -1;
            }
            if (signature != null) signature.update(b, off, n);
            return n;
        } catch (IOException | RuntimeException e) {
            failure = source.translate(e);
            throw failure;
        }
    }

    private void finish() throws IOException {
        List<PGPSignatureList> trailing = new ArrayList<>();
        for (Object o = rest.nextObject(); o != null; o = rest.nextObject()) {
            if (o instanceof PGPSignatureList list) trailing.add(list);
        }
        try {
            if (!encrypted.verify()) throw new IntegrityException("MDC mismatch");
        } catch (PGPException e) {
            throw new IntegrityException(e.getMessage(), e);
        }
        if (signature != null) signerFingerprint = signature.verify(trailing);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    /**
     * The encrypted input, remembering its own I/O failure so that it is told apart from a
     * failure of the message (which is an integrity failure).
     */
    static final class Source extends FilterInputStream {
        private IOException failure;
        private boolean closed;

        Source(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            super.close();
        }

        /** The source's own failure as is; an integrity or signature failure as is; anything else as an integrity failure. */
        IOException translate(Throwable e) {
            if (failure != null) return failure;
            if (e instanceof IntegrityException || e instanceof UntrustedSignatureException) return (IOException) e;
            return new IntegrityException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }
}
