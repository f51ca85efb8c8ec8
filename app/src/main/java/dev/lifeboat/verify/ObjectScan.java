package dev.lifeboat.verify;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.crypto.DecryptingStream;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.crypto.UntrustedSignatureException;
import dev.lifeboat.stage.DecodePipeline;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.stage.Sha256InputProbe;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming pass over one stored object, always to its very end (no temporary copy): the
 * SHA-256 and size of the stored bytes, and for a full read also decryption (the OpenPGP
 * integrity check and, when required, the signature), decompression and, for a dump, every
 * block of the archive. A failure in a later layer never stops the checksum: what is left of
 * the object is still read and hashed. Only an error of the store itself (exit 3) and a missing
 * or wrong key (exit 2) are thrown.
 */
final class ObjectScan {
    static final String DECRYPT = "decrypt";
    static final String SIGNATURE = "signature";
    static final String DECOMPRESS = "decompress";
    static final String ARCHIVE = "archive";
    private static final String STORE = "store";

    /**
     * @param failures   failed layers by name (decrypt, signature, decompress, archive), empty when all held
     * @param plainBytes the decoded size, -1 when the decoding did not reach its end
     * @param contents   what the archive holds, null unless it was read to its end
     * @param signer     the trusted signer's fingerprint when a signature was required and held
     */
    record Result(long storedBytes, String sha256, long plainBytes, ArchiveContents contents, String signer,
                  Map<String, String> failures) {}

    private ObjectScan() {}

    /** Reads and hashes the stored bytes only (quick). */
    static Result checksum(ObjectStore store, String key) {
        try (InputStream raw = store.open(key)) {
            Sha256InputProbe stored = new Sha256InputProbe(raw);
            stored.drain();
            return new Result(stored.count(), stored.hex(), -1, null, null, Map.of());
        } catch (IOException e) {
            throw storeFailure(key, e);
        }
    }

    /** Hashes, decrypts, decompresses and (with {@code archive}) reads every archive block. */
    static Result decode(ObjectStore store, String key, DecryptionConfig decryption, boolean archive) {
        try (InputStream raw = store.open(key)) {
            Sha256InputProbe stored = new Sha256InputProbe(new LayerStream(STORE, raw));
            AtomicReference<DecryptingStream> opened = new AtomicReference<>();
            Decryptor decryptor = decryption == null ? null : in -> {
                DecryptingStream s = decryption.decrypt(in);
                opened.set(s);
                return new LayerStream(DECRYPT, s);
            };
            Map<String, String> failures = new LinkedHashMap<>();
            DecodePipeline pipeline = null;
            ArchiveContents contents = null;
            long plain = -1;
            String phase = DECRYPT;
            try {
                pipeline = new DecodePipeline(stored, key, decryptor);
                phase = ARCHIVE;
                InputStream out = new LayerStream(DECOMPRESS, pipeline.output());
                if (archive) contents = ArchiveReader.read(out);
                else out.transferTo(java.io.OutputStream.nullOutputStream());
                phase = DECOMPRESS;
                pipeline.finish();
                plain = pipeline.plainBytes();
            } catch (LifeboatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                contents = null;
                record(failures, e, phase, pipeline == null);
                if (opened.get() != null && !failures.containsKey(DECRYPT)) drainDecryption(opened.get(), failures);
            }
            stored.drain();
            String signer = opened.get() == null || !failures.isEmpty() ? null : opened.get().signerFingerprint().orElse(null);
            closeQuietly(pipeline);
            return new Result(stored.count(), stored.hex(), plain, contents, signer, failures);
        } catch (LifeboatException e) {
            throw e;
        } catch (IOException e) {
            throw storeFailure(key, e);
        }
    }

    /** Blames the error on its layer: a labelled one on its label, else on the phase that was running. */
    private static void record(Map<String, String> failures, Exception e, String phase, boolean opening) throws IOException {
        LayerStream.Failure labelled = LayerStream.Failure.find(e);
        Throwable cause = labelled == null ? e : labelled.getCause();
        String layer = labelled == null ? phase : labelled.layer;
        if (STORE.equals(layer)) throw (IOException) cause;
        if (cause instanceof UntrustedSignatureException) layer = SIGNATURE;
        else if (cause instanceof dev.lifeboat.crypto.IntegrityException) layer = DECRYPT;
        else if (labelled == null && opening) layer = DECOMPRESS;
        failures.put(layer, describe(cause));
    }

    /** After a later layer failed: reads the OpenPGP message to its end, so its integrity check still runs. */
    private static void drainDecryption(DecryptingStream s, Map<String, String> failures) throws IOException {
        try {
            s.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            LayerStream.Failure labelled = LayerStream.Failure.find(e);
            if (labelled != null && STORE.equals(labelled.layer)) throw (IOException) labelled.getCause();
            failures.put(e instanceof UntrustedSignatureException ? SIGNATURE : DECRYPT, describe(e));
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static void closeQuietly(DecodePipeline p) {
        if (p == null) return;
        try {
            p.close();
        } catch (IOException | RuntimeException ignored) {
            // the verdict is made; a stream that failed may fail again on close
        }
    }

    private static LifeboatException storeFailure(String key, IOException e) {
        return LifeboatException.failed("verify: reading " + key + " from the store failed: " + describe(e), e);
    }
}
