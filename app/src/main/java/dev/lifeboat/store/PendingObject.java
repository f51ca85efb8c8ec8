package dev.lifeboat.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An object being written. Write to {@link #stream()}, then {@link #commit()} to make it
 * visible. {@link #close()} without a commit aborts: the object never appears and its
 * temporary data (multipart upload, temporary file) is removed.
 */
public interface PendingObject extends Closeable {
    /** Where the bytes go; closing it does not commit. */
    OutputStream stream();

    /** Makes the object visible under its key and returns what was stored. */
    ObjectInfo commit() throws IOException;

    /** Discards everything written; idempotent, never throws. */
    void abort();

    @Override
    default void close() {
        abort();
    }
}
