package dev.lifeboat.stage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The one place where the writing stages are chained:
 * plaintext → count → compress → encrypt → SHA-256 and count → sink.
 * {@link #finish()} closes every stage in order but leaves the sink open (the caller commits
 * or aborts it); the observers then hold the sizes and the checksum of what was stored.
 */
public final class EncodePipeline {
    private final CountingOutputStream plain;
    private final Sha256Probe stored;
    private boolean finished;

    /** {@code encryptor} null means unencrypted. */
    public EncodePipeline(OutputStream sink, Compression compression, int level, int workers, Encryptor encryptor,
                          String literalName) throws IOException {
        this.stored = new Sha256Probe(new CloseShield(sink));
        OutputStream s = stored;
        if (encryptor != null) s = encryptor.encrypt(s, literalName);
        s = compression.compress(s, level, workers);
        this.plain = new CountingOutputStream(s);
    }

    /** Where the plaintext goes. */
    public OutputStream input() {
        return plain;
    }

    /** Finishes every stage (trailers, MDC) and flushes the sink; then sizes and checksum are final. */
    public void finish() throws IOException {
        if (finished) return;
        finished = true;
        plain.close();
    }

    /** Stops the stages after a failure (threads released); output is discarded by the caller. */
    public void abandon() {
        if (finished) return;
        finished = true;
        try {
            plain.close();
        } catch (IOException | RuntimeException ignored) {
            // the object is aborted; the first error was already reported
        }
    }

    public long plainBytes() {
        return plain.count();
    }

    public long storedBytes() {
        return stored.count();
    }

    /** SHA-256 of the stored bytes, hex; only after {@link #finish()}. */
    public String sha256() {
        return stored.hex();
    }
}
