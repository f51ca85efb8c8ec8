package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
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
            T result = consumer.accept(pipe.output());
            pipe.finish();
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
}
