package dev.lifeboat.verify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through and labels every error that comes from below with the layer it came
 * from ({@code store}, {@code decrypt}, {@code decompress}), so a failure deep inside a chain of
 * streams is blamed on the right layer. An error already labelled further down keeps its label.
 */
final class LayerStream extends FilterInputStream {
    private final String layer;

    LayerStream(String layer, InputStream in) {
        super(in);
        this.layer = layer;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException | RuntimeException e) {
            throw label(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw label(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException | RuntimeException e) {
            throw label(e);
        }
    }

    private IOException label(Exception e) {
        if (e instanceof dev.lifeboat.LifeboatException le) throw le;
        return e instanceof Failure f ? f : new Failure(layer, e);
    }

    /** An error of one layer; {@link #layer(Throwable)} finds the deepest label in a cause chain. */
    static final class Failure extends IOException {
        final String layer;

        Failure(String layer, Exception cause) {
            super(layer + ": " + cause.getMessage(), cause);
            this.layer = layer;
        }

        /** The innermost labelled failure in {@code t}'s cause chain, or null. */
        static Failure find(Throwable t) {
            Failure found = null;
            for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
                if (c instanceof Failure f) found = f;
            }
            return found;
        }
    }
}
