package dev.lifeboat.mirror;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The live file bucket that {@code mirror} copies ({@link MinioBucket}). Errors are
 * {@link IOException}s; a key that is not there is {@link java.nio.file.NoSuchFileException}.
 */
public interface LiveBucket extends Closeable {
    /** The bucket's name: the {@code <live bucket>} part of the backup's keys. */
    String name();

    /**
     * Every object whose key starts with {@code prefix}, across all pages (far beyond 1000), sorted
     * by key; directory markers (keys ending in '/') are left out. Empty, not an error, when none.
     */
    List<LiveObject> list(String prefix) throws IOException;

    /** {@link #list(String)} with up to {@code threads} listing requests at once where that helps; the same result. */
    default List<LiveObject> list(String prefix, int threads) throws IOException {
        return list(prefix);
    }

    /** Reads one object whole, streaming. */
    LiveDownload open(String key) throws IOException;

    /** Size, ETag and time of one object; empty when it is not there. */
    Optional<LiveObject> stat(String key) throws IOException;

    /** Writes (or overwrites) one object of {@code size} bytes from {@code in}; returns its new ETag. */
    String put(String key, InputStream in, long size) throws IOException;

    /** Where the bucket is, for logs: {@code minio https://host:port/bucket}. Never a secret. */
    String describe();
}
