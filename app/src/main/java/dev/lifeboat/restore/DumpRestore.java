package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Restores a backup's dump into a database, one of two ways. By default the decoded archive
 * streams straight into pg_restore for its pre-data and data sections ({@link ArchiveRestore});
 * once the whole object is proven (size, SHA-256, OpenPGP integrity, every data block), a second
 * pg_restore runs the post-data section from a copy of the table of contents with {@code jobs}
 * connections ({@link PostData}), while the row counts are taken beside it. With {@code spool}
 * (pg_restore -j cannot read a pipe) the archive is written to a file first: the free space is
 * checked before anything is written, the file is readable by its owner only, the whole object
 * is proven before pg_restore -j reads it, and the file is removed afterwards whatever happened.
 * {@code BACKUP_SPOOL_DIR} says where both files go (default: the system's temporary directory).
 */
public final class DumpRestore {
    private static final Logger LOG = LoggerFactory.getLogger("restore");
    /** Room kept free beside the spool file. */
    static final long SPOOL_MARGIN = 64L << 20;

    /** Checks run while the post-data section runs: they see all the data, not yet the indexes. */
    @FunctionalInterface
    public interface Alongside {
        List<Difference> check(ArchiveContents restored) throws IOException, SQLException;
    }

    /** What was restored, and what the checks run beside the post-data section found. */
    public record Restored(ArchiveContents contents, List<Difference> differences) {}

    private DumpRestore() {}

    public static Path spoolDir(Env env) {
        return Path.of(env.get("BACKUP_SPOOL_DIR").orElse(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Restores into {@code target}; {@code alongside} (checks that need the data only) runs while
     * the indexes and constraints are built, or after pg_restore when spooling.
     */
    public static Restored run(ObjectStore store, Manifest m, Decryptor decryptor, PgBinaries bins, DatabaseUrl target,
                               List<String> options, Parallelism how, Path spoolDir, Alongside alongside)
            throws IOException, InterruptedException, SQLException {
        if (!how.spool()) {
            Path tocFile = ownerOnlyFile(spoolDir, "lifeboat-toc-");
            try {
                ArchiveContents contents;
                try (TocCopy toc = new TocCopy(tocFile)) {
                    contents = BackupStream.run(store, m.dump(), decryptor, plain -> ArchiveRestore.run(bins, target, plain, options, toc));
                }
                return new Restored(contents, PostData.run(bins, target, options, how.jobs(), tocFile, () -> alongside.check(contents)));
            } finally {
                Files.deleteIfExists(tocFile);
            }
        }
        Path spool = createSpool(spoolDir, m.dumpBytes());
        try {
            ArchiveContents contents = BackupStream.run(store, m.dump(), decryptor, plain -> spoolAndRead(plain, spool));
            writeOffsets(spool, contents.layout());
            LOG.info("{} checked and spooled to {}; pg_restore -j {}", m.dump().key(), spool, how.jobs());
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                    "--jobs=" + how.jobs()));
            args.addAll(options);
            args.add(spool.toString());
            try (PgChild restore = PgChild.start(bins.pgRestore(), args, RestoreSession.env(target))) {
                restore.stdin().close();
                restore.requireSuccess();
            }
            return new Restored(contents, alongside.check(contents));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** A new owner-only file in {@code dir}, after checking that {@code bytes} (plus a margin) fit. */
    static Path createSpool(Path dir, long bytes) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw LifeboatException.config("BACKUP_SPOOL_DIR " + dir + " is not a directory");
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (bytes + SPOOL_MARGIN > free) {
            throw LifeboatException.config("--jobs spools the decoded dump (" + bytes / 1_000_000 + " MB) to " + dir
                    + ", which has only " + free / 1_000_000 + " MB free; set BACKUP_SPOOL_DIR to a larger disk, or restore without --jobs");
        }
        return ownerOnlyFile(dir, "lifeboat-restore-");
    }

    private static Path ownerOnlyFile(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw LifeboatException.config("BACKUP_SPOOL_DIR " + dir + " is not a directory");
        }
        Path file = Files.createTempFile(dir, prefix, ".dump",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        file.toFile().deleteOnExit();
        return file;
    }

    /** pg_dump's K_OFFSET_POS_SET: the entry's data starts at the offset that follows. */
    private static final int OFFSET_POS_SET = 2;

    /**
     * Fills in the data offsets that pg_dump could not write to a pipe, in place (same field
     * sizes), as pg_dump itself does for a file: pg_restore -j then seeks to each block instead
     * of every worker reading the archive from the start.
     */
    static void writeOffsets(Path spool, ArchiveContents.Layout layout) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(spool, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer field = java.nio.ByteBuffer.allocate(1 + layout.offSize());
            for (var e : layout.blockStarts().entrySet()) {
                Long at = layout.offsetFields().get(e.getKey());
                if (at == null) continue;
                field.clear();
                field.put((byte) OFFSET_POS_SET);
                long v = e.getValue();
                for (int i = 0; i < layout.offSize(); i++) field.put((byte) (v >>> (8 * i)));
                field.flip();
                while (field.hasRemaining()) ch.write(field, at + field.position());
            }
        }
    }

    /** Writes the plaintext to the spool file while {@link dev.lifeboat.archive.ArchiveReader} reads it on a second thread. */
    private static ArchiveContents spoolAndRead(InputStream plain, Path spool) throws IOException, InterruptedException {
        ChunkPipe toReader = new ChunkPipe(8);
        CompletableFuture<ArchiveContents> reader = dev.lifeboat.archive.ArchiveReader.readInBackground(toReader.source());
        try (OutputStream file = Files.newOutputStream(spool); OutputStream tee = toReader.sink()) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = plain.read(buf)) >= 0) {
                file.write(buf, 0, n);
                tee.write(buf, 0, n);
            }
        }
        try {
            return reader.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw LifeboatException.failed("the archive is damaged: " + cause.getMessage(), cause);
        }
    }
}
