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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Streams a custom-format archive into pg_restore and, on a second thread through a bounded
 * pipe, into {@link ArchiveReader}, so that one pass both restores and proves that every data
 * block was there. pg_restore runs with {@code --exit-on-error}: any error fails the restore.
 */
public final class ArchiveRestore {
    private ArchiveRestore() {}

    /** Restores into {@code target}; returns what the archive held. The caller validates afterwards. */
    public static ArchiveContents run(PgBinaries bins, DatabaseUrl target, InputStream archive, List<String> options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database()));
        args.addAll(options);
        ChunkPipe pipe = new ChunkPipe(8);
        CompletableFuture<ArchiveContents> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = pipe.source()) {
                return ArchiveReader.read(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (PgChild restore = PgChild.start(bins.pgRestore(), args, target.childEnv());
             OutputStream tee = pipe.sink()) {
            try {
                copy(archive, restore.stdin(), tee);
                restore.stdin().close();
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
            return reader.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            throw LifeboatException.failed("the archive is damaged: " + cause.getMessage(), cause);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // pg_restore is gone already
        }
    }

    /** A failure of the stream being restored (download, decryption, integrity), as opposed to pg_restore's. */
    private static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static int read(InputStream in, byte[] buf) throws SourceFailure {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    private static void copy(InputStream in, OutputStream a, OutputStream b) throws IOException {
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = read(in, buf)) >= 0) {
            if (n == 0) continue;
            a.write(buf, 0, n);
            b.write(buf, 0, n);
        }
    }
}
