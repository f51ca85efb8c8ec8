package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a custom-format archive into pg_restore (its pre-data and data sections) and, on a
 * second thread through a bounded pipe, into {@link ArchiveReader}, so that one pass both
 * restores and proves that every data block was there; the header and table of contents are
 * copied aside ({@link TocCopy}) for the post-data section, which {@link PostData} runs after.
 * pg_restore runs with {@code --exit-on-error}: any error fails the restore. A third thread
 * feeds pg_restore's stdin, so decoding (download, decryption, decompression) goes on while
 * pg_restore works, as in a shell pipeline.
 */
public final class ArchiveRestore {
    private ArchiveRestore() {}

    /** Restores into {@code target}; returns what the archive held. The caller validates afterwards. */
    public static ArchiveContents run(PgBinaries bins, DatabaseUrl target, InputStream archive, List<String> options, TocCopy toc)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                "--section=pre-data", "--section=data"));
        args.addAll(options);
        ChunkPipe toReader = new ChunkPipe(8);
        CompletableFuture<ArchiveContents> reader = ArchiveReader.readInBackground(toReader.source(), toc::tocEndsAt);
        ChunkPipe toRestore = new ChunkPipe(16);
        try (PgChild restore = PgChild.start(bins.pgRestore(), args, sessionEnv(target));
             OutputStream tee = toReader.sink();
             OutputStream feed = toRestore.sink()) {
            AtomicReference<IOException> feedFailure = new AtomicReference<>();
            Thread feeder = feed(toRestore, restore, feedFailure);
            try {
                copy(archive, feed, tee, toc, feedFailure);
                feed.close();
                feeder.join();
                if (feedFailure.get() != null) throw feedFailure.get();
            } catch (SourceFailure e) {
                restore.close();
                throw e.getCause();
            } catch (IOException e) {
                closeQuietly(restore.stdin());
                if (restore.waitFor() != 0) throw LifeboatException.failed("pg_restore failed: " + restore.errorText(), e);
                throw e;
            }
            tee.close();
            restore.requireSuccess();
        }
        try {
            ArchiveContents contents = reader.get();
            toc.finish();
            return contents;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw LifeboatException.failed("the archive is damaged: " + cause.getMessage(), cause);
        }
    }

    /**
     * pg_restore's session: {@code maintenance_work_mem} raised to {@link RestoreSession#INDEX_MEMORY}
     * when the server's is lower, so index builds sort in memory (and in parallel).
     */
    static Map<String, String> sessionEnv(DatabaseUrl target) {
        return RestoreSession.env(target);
    }

    /** Copies the pipe into pg_restore's stdin and closes it; a write error is kept, and the pipe closed. */
    private static Thread feed(ChunkPipe pipe, PgChild restore, AtomicReference<IOException> failure) {
        Thread t = new Thread(() -> {
            try (OutputStream out = restore.stdin()) {
                pipe.drainTo(out);
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        }, "lifeboat-pg_restore-feed");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // pg_restore is gone already
        }
    }

    /** A failure of the stream being restored (download, decryption, integrity), as opposed to pg_restore's. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    static int read(InputStream in, byte[] buf) throws SourceFailure {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    private static void copy(InputStream in, OutputStream a, OutputStream b, TocCopy toc, AtomicReference<IOException> aFailure)
            throws IOException {
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = read(in, buf)) >= 0) {
            if (aFailure.get() != null) throw aFailure.get();
            if (n == 0) continue;
            toc.write(buf, 0, n);
            a.write(buf, 0, n);
            b.write(buf, 0, n);
        }
    }
}
