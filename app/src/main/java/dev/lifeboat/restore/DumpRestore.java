package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.List;

/**
 * Restores a backup's dump into a database, one of two ways. By default the decoded archive
 * streams straight into {@code jobs} pg_restore for its data, each table's rows shared out
 * between them, after the pre-data section ({@link SplitLoad}; with one job, one pg_restore for
 * both sections, {@link ArchiveRestore}); once the whole object is proven (size, SHA-256,
 * OpenPGP integrity, every data block), another pg_restore runs the post-data section from a
 * copy of the table of contents with {@code jobs} connections ({@link PostData}), while the row
 * counts are taken beside it. With {@code spool}
 * the archive is written to a file as it arrives and {@code jobs} pg_restore load its data at
 * once from there ({@link ParallelLoad}): the free space is checked before anything is written,
 * the file is readable by its owner only and removed afterwards whatever happened.
 * {@code BACKUP_SPOOL_DIR} says where the files go (default: the system's temporary directory).
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
                    contents = BackupStream.run(store, m.dump(), decryptor, plain -> how.jobs() > 1
                            ? SplitLoad.run(bins, target, plain, options, how.jobs(), toc, spoolDir)
                            : ArchiveRestore.run(bins, target, plain, options, toc));
                }
                return new Restored(contents, PostData.run(bins, target, options, how.jobs(), tocFile, () -> alongside.check(contents)));
            } finally {
                Files.deleteIfExists(tocFile);
            }
        }
        Path spool = createSpool(spoolDir, m.dumpBytes());
        Path tocFile = ownerOnlyFile(spoolDir, "lifeboat-toc-");
        try {
            ArchiveContents contents = ParallelLoad.run(store, m, decryptor, bins, target, options, how.jobs(), spool, tocFile);
            LOG.info("{} checked; its data loaded by {} pg_restore at once while it was spooled to {}", m.dump().key(), how.jobs(), spool);
            return new Restored(contents, PostData.run(bins, target, options, how.jobs(), tocFile, () -> alongside.check(contents)));
        } finally {
            Files.deleteIfExists(spool);
            Files.deleteIfExists(tocFile);
        }
    }

    /** A new owner-only file in {@code dir}, after checking that {@code bytes} (plus a margin) fit. */
    static Path createSpool(Path dir, long bytes) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw LifeboatException.config("BACKUP_SPOOL_DIR " + dir + " is not a directory");
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (bytes + SPOOL_MARGIN > free) {
            throw LifeboatException.config("--spool writes the decoded dump (" + bytes / 1_000_000 + " MB) to " + dir
                    + ", which has only " + free / 1_000_000 + " MB free; set BACKUP_SPOOL_DIR to a larger disk, or restore without --spool");
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
}
