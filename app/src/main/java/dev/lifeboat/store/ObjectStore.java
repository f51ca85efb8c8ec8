package dev.lifeboat.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flat key space of immutable objects: an S3 bucket ({@code S3Store}), a MinIO bucket, or a
 * local directory ({@code LocalStore}). Keys are '/'-separated relative paths. Every
 * implementation passes {@code ObjectStoreContract} in the tests.
 *
 * <p>Errors are {@link IOException}s; a key that is not there is
 * {@link java.nio.file.NoSuchFileException}, an existing key given to {@link #create} is
 * {@link java.nio.file.FileAlreadyExistsException}.
 */
public interface ObjectStore extends Closeable {
    /** The metadata key every object lifeboat writes carries (value: lifeboat's version). */
    String VERSION_METADATA = "lifeboat-version";

    /**
     * Starts a new object. Nothing is visible under {@code key} until {@link PendingObject#commit()}
     * returns; an existing object is never overwritten (checked here and again at commit where the
     * store allows). {@code sizeHint} (-1 when unknown) lets a store choose its multipart part size.
     */
    PendingObject create(String key, Map<String, String> metadata, long sizeHint) throws IOException;

    /**
     * {@link #create} for a key the caller has just seen absent (in a listing taken under its run
     * lock) and writes many of: a store that has shown its commit refuses to replace an existing
     * object may leave out the early existence check (a request per object); the guarantee is the
     * same, an existing object is never overwritten. The default is {@link #create}.
     */
    default PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        return create(key, metadata, sizeHint);
    }

    /**
     * {@link #createAbsent(String, Map, long)} for content whose MD5 (hex) is known beforehand, or
     * null: a store that can has it checked on arrival (S3: Content-MD5, for an object written in
     * one request) and refuses a mismatch with {@link ContentMismatchException}. The default
     * ignores it.
     */
    default PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint, String expectedMd5) throws IOException {
        return createAbsent(key, metadata, sizeHint);
    }

    /** Writes a small object whole; same rules as {@link #create}. */
    default ObjectInfo put(String key, byte[] data, Map<String, String> metadata) throws IOException {
        try (PendingObject p = create(key, metadata, data.length)) {
            p.stream().write(data);
            return p.commit();
        }
    }

    /** Writes a small object whole, replacing an existing one (indexes, reports). */
    ObjectInfo replace(String key, byte[] data, Map<String, String> metadata) throws IOException;

    /**
     * Reads an object from {@code offset}. A store over a network resumes a broken download with
     * range requests by itself, and fails only when retries are exhausted.
     */
    InputStream open(String key, long offset) throws IOException;

    default InputStream open(String key) throws IOException {
        return open(key, 0);
    }

    /** Reads a small object whole. */
    default byte[] read(String key) throws IOException {
        try (InputStream in = open(key, 0)) {
            return in.readAllBytes();
        }
    }

    /** Size, time, ETag and user metadata of one object; empty when it is not there. */
    Optional<ObjectInfo> stat(String key) throws IOException;

    /**
     * Every object whose key starts with {@code prefix}, across all pages, sorted by key; an empty
     * list, not an error, when there is none. Entries carry no user metadata (use {@link #stat}).
     */
    List<ObjectInfo> list(String prefix) throws IOException;

    /**
     * {@link #list(String)} with up to {@code threads} listing requests at once where the store
     * gains from it (by walking the '/' levels, {@link PrefixWalk}); the same result.
     */
    default List<ObjectInfo> list(String prefix, int threads) throws IOException {
        return list(prefix);
    }

    /** Deletes one object; deleting a key that is not there is not an error. */
    void delete(String key) throws IOException;

    /**
     * Deletes many (in batches where the store allows, one by one where it refuses batches).
     * Returns the keys that could not be deleted, each with the reason; the others go on.
     */
    Map<String, String> deleteAll(List<String> keys) throws IOException;

    /** Copies an object inside the store (server-side where possible), with new user metadata. */
    void copy(String fromKey, String toKey, Map<String, String> metadata) throws IOException;

    /** Uploads under {@code prefix} that were started and never completed nor aborted. */
    List<Unfinished> unfinished(String prefix) throws IOException;

    /** Aborts an unfinished upload (and removes its temporary data). */
    void abort(Unfinished upload) throws IOException;

    /** Where this store is, for logs: {@code s3://bucket} or a directory path. Never a secret. */
    String describe();
}
