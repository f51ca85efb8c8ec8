package dev.lifeboat.backup;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.ops.Cancellation;
import dev.lifeboat.ops.Progress;
import dev.lifeboat.ops.RunContext;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;
import dev.lifeboat.stage.EncodePipeline;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a child's stdout through the encode pipeline into a new object (DESIGN.md, step 3).
 * The object is committed only after the stream ended, the child exited 0 and every stage
 * closed cleanly; on any failure it is aborted, so a dump cut short never becomes an object.
 *
 * <p>With {@code readArchive}, the plaintext also goes, through a bounded pipe, to
 * {@link ArchiveReader} on a second thread: it reads the archive to its end (every data block
 * there) and counts each table's COPY rows as they stream by, so no table is scanned twice.
 *
 * <p>The child's stdout is drained by a thread of its own into a small bounded pipe, so the
 * child keeps writing while this thread compresses and encrypts (otherwise the two would take
 * turns through the kernel's 64 KiB pipe).
 */
final class ChildUpload {
    /** {@code contents} is null unless the archive was read. */
    record Result(ObjectInfo stored, long plainBytes, String sha256, String archiveVersion, ArchiveContents contents) {}

    private ChildUpload() {}

    static Result run(PgChild child, ObjectStore store, String key, long sizeHint, BackupRequest req,
                      boolean expectArchive, boolean readArchive, RunContext ctx) throws IOException, InterruptedException {
        Map<String, String> meta = Map.of(ObjectStore.VERSION_METADATA, Version.get());
        try (child; PendingObject pending = store.create(key, meta, sizeHint);
             Cancellation.Registration onCancel = ctx.onCancel(() -> {
                 child.close();
                 pending.abort();
             })) {
            child.stdin().close();
            EncodePipeline pipe = new EncodePipeline(pending.stream(), req.compression(), req.level(), req.workers(),
                    req.encryptor(), literalName(key));
            ArchiveSniffer sniffer = new ArchiveSniffer(pipe.input());
            // chunks pass from the drain to this thread to the archive reader without a copy
            ChunkPipe.Pool chunks = new ChunkPipe.Pool(12);
            ChunkPipe tee = readArchive ? new ChunkPipe(4, chunks) : null;
            CompletableFuture<ArchiveContents> reader = readArchive ? ArchiveReader.readInBackground(tee.source()) : null;
            Progress progress = ctx.progress(expectArchive ? "dump" : "globals", pipe::plainBytes, sizeHint > 0 && expectArchive ? sizeHint : -1);
            ChunkPipe drained = new ChunkPipe(4, chunks);
            AtomicReference<IOException> drainError = new AtomicReference<>();
            Thread drain = startDrain(child.stdout(), drained, drainError);
            try (progress; ChunkPipe.Source fromChild = drained.source()) {
                try {
                    copy(drained, sniffer, tee);
                } finally {
                    if (tee != null) tee.end();
                }
                awaitDrain(drain);
                if (drainError.get() != null) throw drainError.get();
                pipe.finish();
            } catch (IOException | RuntimeException e) {
                ctx.throwIfCancelled();
                pipe.abandon();
                child.close();
                LifeboatException own = ownCause(e);
                if (own != null) throw own; // e.g. the store rejected a BACKUP_S3_* option: say that, not "pg_dump failed"
                if (child.waitFor() != 0) {
                    throw LifeboatException.failed(child.name() + " failed: " + child.errorText(), e);
                }
                throw e;
            }
            child.requireSuccess();
            if (expectArchive && !sniffer.isCustomArchive()) {
                throw LifeboatException.failed(child.name() + " wrote no custom-format archive (" + pipe.plainBytes() + " bytes)");
            }
            ArchiveContents contents = reader == null ? null : finishReader(reader, child.name());
            ObjectInfo stored = pending.commit();
            if (stored.size() != pipe.storedBytes()) {
                throw LifeboatException.failed("store reports " + stored.size() + " bytes for " + key + ", "
                        + pipe.storedBytes() + " were written");
            }
            return new Result(stored, pipe.plainBytes(), pipe.sha256(), sniffer.version(), contents);
        }
    }

    private static void awaitDrain(Thread drain) throws java.io.InterruptedIOException {
        try {
            drain.join();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException("interrupted"); // flag left cleared, as copy() does
        }
    }

    /** Copies {@code in} into {@code pipe} on a thread of its own; a read error is kept for the caller. */
    private static Thread startDrain(InputStream in, ChunkPipe pipe, AtomicReference<IOException> error) {
        Thread t = new Thread(() -> {
            try {
                pipe.readFrom(in);
            } catch (IOException e) {
                error.compareAndSet(null, e);
                try {
                    pipe.end();
                } catch (IOException ignored) {
                    // interrupted: the reading side stops on its own
                }
            }
        }, "lifeboat-child-stdout");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static ArchiveContents finishReader(CompletableFuture<ArchiveContents> reader, String name)
            throws InterruptedException {
        try {
            return reader.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw LifeboatException.failed(name + " wrote an archive that does not read to its end: " + cause.getMessage(), cause);
        }
    }

    /** A user-facing failure of lifeboat's own (possibly wrapped by a stage's thread), else null. */
    private static LifeboatException ownCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof LifeboatException le) return le;
        }
        return null;
    }

    /**
     * Copies until the end; an interrupt (a cancelled run) ends it with InterruptedIOException and
     * the interrupt flag cleared, so the clean-up that follows (aborts, deletes) can still talk to the store.
     */
    private static void copy(ChunkPipe in, OutputStream out, ChunkPipe tee) throws IOException {
        ChunkPipe.Chunk c;
        try {
            while ((c = in.take()) != null) {
                try {
                    out.write(c.bytes(), 0, c.length());
                } catch (IOException | RuntimeException e) {
                    in.pool().release(c.bytes());
                    throw e;
                }
                if (tee != null) tee.put(c);
                else in.pool().release(c.bytes());
                if (Thread.interrupted()) throw new java.io.InterruptedIOException("interrupted");
            }
        } catch (java.io.InterruptedIOException e) {
            Thread.interrupted();
            throw e;
        }
    }

    /** The file name inside the OpenPGP literal packet: the object's name without ".gpg". */
    private static String literalName(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.endsWith(".gpg") ? name.substring(0, name.length() - 4) : name;
    }
}
