package dev.lifeboat.files;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.restore.BackupStream;
import dev.lifeboat.restore.TrustCheck;
import dev.lifeboat.store.ObjectStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code restore --files}: extracts a files backup into a directory that is new or empty
 * (or any directory with {@code --overwrite}). The entry list (decrypted when it is a separate
 * object) is checked as a whole first ({@link EntryPlan}); then every tar entry is matched with
 * it and written by {@link SafeExtractor}; then the whole stored object is proven (size,
 * SHA-256, OpenPGP integrity). Any failure after the first write leaves a directory that is
 * reported as incomplete, "do not use", with exit 3.
 */
public final class FilesRestoreJob {
    private static final Logger LOG = LoggerFactory.getLogger("restore");
    private final ObjectStore store;
    private final Clock clock;

    public FilesRestoreJob(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public FilesRestoreReport run(FilesRestoreRequest req) throws IOException, InterruptedException {
        Instant started = clock.instant();
        ChosenFiles chosen = ChosenFiles.resolve(store, req.source(), req.selection());
        FilesManifest m = chosen.manifest();
        TrustCheck.require(store, req.decryptor(), m.archive(), m.entriesObject());
        Path to = prepareTarget(req.to(), req.overwrite());
        EntryPlan plan = new EntryPlan(EntriesObject.of(store, m, req.decryptor()));
        Owners owners = Owners.forCurrentUser();
        SafeExtractor extractor = new SafeExtractor(to, req.overwrite(), owners);
        LOG.info("restoring {} ({} files, {} MB) into {}", chosen.stem(), m.counts().files(), m.counts().fileBytes() / 1_000_000, to);
        try {
            BackupStream.run(store, m.archive(), req.decryptor(), plain -> extractAll(plain, plan, extractor));
            List<String> missing = plan.missing();
            if (!missing.isEmpty()) {
                throw LifeboatException.failed("the archive lacks " + missing.size() + " entries the manifest lists, e.g. " + missing.get(0));
            }
            extractor.finish();
        } catch (IOException | RuntimeException e) {
            if (extractor.written() == 0 && e instanceof LifeboatException le && le.exitCode() != ExitCode.FAILED) throw le;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.error("{} is incomplete: do not use it", to);
            throw LifeboatException.failed("restore of " + chosen.stem() + " into " + to + " failed and left it incomplete:"
                    + " do not use it (" + why + ")", e);
        }
        if (!m.changedWhileRead().isEmpty()) {
            LOG.warn("{} file(s) changed while the backup read them and may be inconsistent: {}", m.changedWhileRead().size(),
                    m.changedWhileRead().stream().map(FilesManifest.Changed::path).limit(10).toList());
        }
        List<String> checks = List.of(
                "entries: every file's size and SHA-256 match the manifest (" + m.counts().files() + " files)",
                "names: no absolute path, no '..', no path through a symlink",
                "checksum: SHA-256 and size of " + m.archive().key() + " match the manifest",
                m.archive().key().endsWith(".gpg") ? "integrity: the OpenPGP integrity check passed" : "integrity: not encrypted");
        return new FilesRestoreReport("restored", chosen.stem(), chosen.entry().time().toString(), to.toString(),
                m.counts().files(), m.counts().directories(), m.counts().symlinks(), m.counts().fileBytes(), owners.enabled(),
                m.changedWhileRead(), checks, Duration.between(started, clock.instant()).toMillis() / 1000.0);
    }

    private static Void extractAll(InputStream plain, EntryPlan plan, SafeExtractor extractor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(plain, "UTF-8");
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String type = e.isDirectory() ? FileEntry.DIR : e.isSymbolicLink() ? FileEntry.SYMLINK : e.isFile() ? FileEntry.FILE : null;
            if (type == null || e.isLink()) {
                throw EntryNames.refused(e.getName(), "only files, directories and symlinks are restored (type '" + (char) e.getLinkFlag() + "')");
            }
            FileEntry expected = plan.expect(e.getName(), type, e.getSize(), e.getLinkName());
            extractor.extract(EntryNames.check(e.getName()), e, tar, expected);
            if (Thread.interrupted()) throw new java.io.InterruptedIOException("interrupted");
        }
        byte[] rest = plain.readAllBytes();
        for (byte b : rest) {
            if (b != 0) throw new IOException("data continues after the end of the tar archive");
        }
        return null;
    }

    /** The target must be a new or empty directory, or any directory with --overwrite. */
    private static Path prepareTarget(Path to, boolean overwrite) throws IOException {
        Path abs = to.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(abs);
            return abs;
        }
        if (!Files.isDirectory(abs)) throw LifeboatException.config("--to " + to + " exists and is not a directory");
        if (!overwrite) {
            try (DirectoryStream<Path> d = Files.newDirectoryStream(abs)) {
                if (d.iterator().hasNext()) {
                    throw LifeboatException.config("--to " + to + " is not empty; restore into a new or empty directory,"
                            + " or add --overwrite to write over what is there");
                }
            }
        }
        return abs;
    }
}
