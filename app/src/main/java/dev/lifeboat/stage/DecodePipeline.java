package dev.lifeboat.stage;

import dev.lifeboat.LifeboatException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one place where the reading stages are chained, picked from the object key's suffix:
 * stored bytes → SHA-256 and count → decrypt ({@code .gpg}) → decompress ({@code .gz},
 * {@code .zst}) → count → consumer. {@link #finish()} reads every layer to its end, so the
 * OpenPGP integrity check has run and the checksum covers the whole object.
 */
public final class DecodePipeline implements Closeable {
    private final Sha256InputProbe stored;
    private final InputStream decrypted;
    private final CountingInputStream plain;

    /**
     * {@code decryptor} may be null when no key is configured; an encrypted object then fails
     * with exit 2. An encrypted object that is unsigned or signed by an untrusted key fails
     * here, before any data, with the decryptor's {@code UntrustedSignatureException}; one that
     * is not encrypted at all, when the decryptor requires a signature, with exit 1.
     */
    public DecodePipeline(InputStream in, String key, Decryptor decryptor) throws IOException {
        this(new Sha256InputProbe(in), key, decryptor);
    }

    /**
     * With a probe the caller keeps: after a failure in a later layer it can still
     * {@linkplain Sha256InputProbe#drain() drain} the stored bytes (before closing this
     * pipeline) to know whether the object matches its checksum.
     */
    public DecodePipeline(Sha256InputProbe stored, String key, Decryptor decryptor) throws IOException {
        this.stored = stored;
        if (key.endsWith(".gpg")) {
            if (decryptor == null) {
                throw LifeboatException.config(key + " is encrypted; set BACKUP_GPG_SECRET_KEY (or BACKUP_GPG_PASSPHRASE) to read it");
            }
            this.decrypted = decryptor.decrypt(stored);
        } else {
            if (decryptor != null && decryptor.requiresSignature()) {
                throw refused(key, "it is not encrypted and so not signed, but BACKUP_GPG_TRUSTED_SIGNERS is set");
            }
            this.decrypted = stored;
        }
        this.plain = new CountingInputStream(Compression.fromKey(key).decompress(decrypted));
    }

    /**
     * Exit 1: the object is not signed by a trusted signer. Found before its data is read, so
     * nothing made from it exists yet; it is a refusal of the backup, not a broken run.
     */
    public static LifeboatException refused(String key, String why) {
        return LifeboatException.checkFailed("refusing " + key + ": " + why
                + " (anyone who can write to the store could have put it there)");
    }

    /** The plaintext (the dump, the globals SQL, the tar archive). */
    public InputStream output() {
        return plain;
    }

    /**
     * Reads what is left of every layer: the plaintext must be at its end, then the OpenPGP
     * message (its integrity check runs there) and the stored bytes.
     */
    public void finish() throws IOException {
        byte[] buf = new byte[1 << 16];
        if (plain.read(buf) >= 0) {
            throw new IOException("data continues after the end of the compressed stream");
        }
        while (decrypted.read(buf) >= 0) {
            // reaching the end runs the integrity check
        }
        stored.drain();
    }

    public long plainBytes() {
        return plain.count();
    }

    public long storedBytes() {
        return stored.count();
    }

    /** SHA-256 of the stored bytes; complete only after {@link #finish()}. */
    public String sha256() {
        return stored.hex();
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }
}
