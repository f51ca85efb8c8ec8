package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.crypto.IntegrityException;
import dev.lifeboat.stage.Compression;
import dev.lifeboat.stage.DecodePipeline;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one stored object of a backup through the decode pipeline and, after the consumer is
 * done, proves the whole of it: the plaintext ended where the compressed stream ends, the
 * OpenPGP integrity check (and signature) passed, and the stored bytes have the manifest's size
 * and SHA-256. Until {@link #run} returns, nothing restored from it may be trusted.
 */
public final class BackupStream {
    /** What consumes the plaintext. */
    @FunctionalInterface
    public interface Consumer<T> {
        T accept(InputStream plaintext) throws IOException, InterruptedException;
    }

    private BackupStream() {}

    public static <T> T run(ObjectStore store, Manifest.StoredObject object, Decryptor decryptor, Consumer<T> consumer)
            throws IOException, InterruptedException {
        try (InputStream in = store.open(object.key());
             DecodePipeline pipe = new DecodePipeline(in, object.key(), decryptor)) {
            T result;
            try {
                result = consumer.accept(pipe.output());
                pipe.finish();
            } catch (IOException e) {
                LifeboatException explained = explain(object, pipe, e);
                if (explained == null) throw e;
                throw explained;
            }
            if (pipe.storedBytes() != object.bytes()) {
                throw LifeboatException.failed(object.key() + " has " + pipe.storedBytes() + " bytes, the manifest says " + object.bytes());
            }
            if (!pipe.sha256().equals(object.sha256())) {
                throw LifeboatException.failed(object.key() + " has SHA-256 " + pipe.sha256() + ", the manifest says " + object.sha256());
            }
            if (object.plainBytes() > 0 && pipe.plainBytes() != object.plainBytes()) {
                throw LifeboatException.failed(object.key() + " decodes to " + pipe.plainBytes() + " bytes, the manifest says " + object.plainBytes());
            }
            return result;
        }
    }

    /**
     * Opens the object just far enough to read its OpenPGP key packets (and the compression
     * header): a missing or wrong key fails here with exit 2, before anything is written.
     */
    public static void probe(ObjectStore store, Manifest.StoredObject object, Decryptor decryptor) throws IOException {
        try (InputStream in = store.open(object.key());
             DecodePipeline pipe = new DecodePipeline(in, object.key(), decryptor)) {
            pipe.plainBytes(); // the constructor did the work
        }
    }

    /**
     * Decoding failed (a decompressor or the OpenPGP layer saw bad data): names the layer. The
     * rest of the stored object is read so that the checksum layer can speak first: a stored
     * object that differs from its manifest was damaged or altered in storage. A failure to read
     * the object at all (the download) is passed on as it is.
     */
    private static LifeboatException explain(Manifest.StoredObject object, DecodePipeline pipe, IOException failure) {
        try {
            pipe.drainStored();
        } catch (IOException download) {
            return null;
        }
        String why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (pipe.storedBytes() != object.bytes() || !pipe.sha256().equals(object.sha256())) {
            return LifeboatException.failed(object.key() + " is damaged: the checksum does not match the manifest ("
                    + pipe.storedBytes() + " bytes, SHA-256 " + pipe.sha256() + "; the manifest says " + object.bytes()
                    + " bytes, SHA-256 " + object.sha256() + "); decoding stopped with: " + why, failure);
        }
        String layer = failure instanceof IntegrityException ? "the OpenPGP integrity check"
                : "decompression (" + Compression.fromKey(object.key()).name().toLowerCase(java.util.Locale.ROOT) + ")";
        return LifeboatException.failed(object.key() + " matches its manifest's checksum but fails " + layer
                + ", so it was written damaged: " + why, failure);
    }
}
