package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.ops.Cancellation;
import dev.lifeboat.ops.Progress;
import dev.lifeboat.ops.RunContext;
import dev.lifeboat.stage.EncodePipeline;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code backup --files}: the roots streamed as a tar through compression and OpenPGP into
 * {@code files/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>].tar[.gz|.zst][.gpg]}; with encryption, the
 * entry list as its own encrypted object; then the manifest, written last. The archive is
 * committed only when the walk ended and every stage closed cleanly, and no file was
 * unreadable; otherwise it is aborted. Files that changed while read are reported in the
 * manifest and the report (exit 0), or fail the run with {@code --strict}.
 */
public final class FilesBackupJob {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final ObjectStore store;
    private final Clock clock;

    public FilesBackupJob(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public FilesBackupReport run(FilesRequest req, RunContext ctx) throws IOException, InterruptedException {
        Instant started = clock.instant();
        String stem = BackupKey.of(BackupKey.FILES, req.source(), started, req.tag()).stem();
        String manifestKey = stem + BackupKey.MANIFEST_SUFFIX;
        if (store.stat(manifestKey).isPresent()) {
            throw LifeboatException.failed("a backup named " + stem + " already exists; not overwriting it");
        }
        String key = stem + ".tar" + req.compression().suffix + (req.encrypted() ? ".gpg" : "");
        LOG.info("files backup of {} into {} started", req.roots(), store.describe());
        try {
            Archived a = archive(req, key, ctx);
            Manifest.StoredObject entriesObject = null;
            if (req.encrypted()) {
                entriesObject = EntriesObject.write(store, stem + FilesManifest.ENTRIES_SUFFIX, a.writer.entries(), req.encryptor());
            }
            Instant finished = clock.instant();
            FilesManifest.Counts counts = counts(a.writer.entries());
            FilesManifest m = new FilesManifest(FilesManifest.FORMAT, FilesManifest.KIND, req.source(), req.tag(),
                    new Manifest.StoredObject(key, a.stored.size(), a.sha256, a.plainBytes, null), entriesObject,
                    started.toString(), finished.toString(), seconds(started, finished), hostName(),
                    req.roots().stream().map(Path::toString).toList(), req.excludes().globs(),
                    new Manifest.Compressed(req.compression().name().toLowerCase(), req.level()),
                    new Manifest.Encrypted(req.encryptionMode(), req.recipients()), req.signer(), counts,
                    req.encrypted() ? null : a.writer.entries(), a.writer.changed(), a.writer.skipped(), Version.get());
            ctx.throwIfCancelled();
            store.put(manifestKey, m.toJson(), Map.of(ObjectStore.VERSION_METADATA, Version.get()));
            ctx.key(stem);
            ctx.bytes(a.stored.size());
            ctx.objects(req.encrypted() ? 3 : 2);
            if (!a.writer.changed().isEmpty()) {
                LOG.warn("{} file(s) changed while they were read and may be inconsistent in {}: {}", a.writer.changed().size(),
                        stem, a.writer.changed().stream().map(FilesManifest.Changed::path).limit(10).toList());
            }
            return new FilesBackupReport("ok", req.source(), store.describe(), key, manifestKey,
                    entriesObject == null ? null : entriesObject.key(), counts.files(), counts.directories(), counts.symlinks(),
                    counts.fileBytes(), a.stored.size(), a.sha256, a.writer.changed(), a.writer.skipped(), seconds(started, finished));
        } catch (FileAlreadyExistsException e) {
            throw LifeboatException.failed("object " + e.getFile() + " already exists; not overwriting it", e);
        }
    }

    private record Archived(TarWriter writer, ObjectInfo stored, long plainBytes, String sha256) {}

    private Archived archive(FilesRequest req, String key, RunContext ctx) throws IOException, InterruptedException {
        try (PendingObject pending = store.create(key, Map.of(ObjectStore.VERSION_METADATA, Version.get()), -1);
             Cancellation.Registration onCancel = ctx.onCancel(pending::abort)) {
            EncodePipeline pipe = new EncodePipeline(pending.stream(), req.compression(), req.level(), req.workers(),
                    req.encryptor(), key.substring(key.lastIndexOf('/') + 1).replaceFirst("\\.gpg$", ""));
            TarWriter writer = new TarWriter(pipe.input());
            try (Progress progress = ctx.progress("files", pipe::plainBytes)) {
                new TreeWalk(req.excludes()).walk(req.roots(), writer);
                writer.finish();
                pipe.finish();
            } catch (IOException | RuntimeException | InterruptedException e) {
                ctx.throwIfCancelled();
                pipe.abandon();
                throw e;
            }
            if (!writer.unreadable().isEmpty()) {
                throw LifeboatException.failed(writer.unreadable().size() + " path(s) could not be read, so nothing was stored: "
                        + String.join(", ", writer.unreadable().stream().limit(10).toList())
                        + " (run as a user who can read them, or --exclude them)");
            }
            if (req.strict() && !writer.changed().isEmpty()) {
                throw LifeboatException.failed("--strict: " + writer.changed().size() + " file(s) changed while read, nothing was stored: "
                        + String.join(", ", writer.changed().stream().limit(10).map(c -> c.path() + " " + c.what()).toList()));
            }
            ObjectInfo stored = pending.commit();
            if (stored.size() != pipe.storedBytes()) {
                throw LifeboatException.failed("store reports " + stored.size() + " bytes for " + key + ", "
                        + pipe.storedBytes() + " were written");
            }
            return new Archived(writer, stored, pipe.plainBytes(), pipe.sha256());
        }
    }

    private static FilesManifest.Counts counts(List<FileEntry> entries) {
        long files = 0, dirs = 0, links = 0, bytes = 0;
        for (FileEntry e : entries) {
            if (e.isFile()) {
                files++;
                bytes += e.size();
            } else if (e.isDir()) {
                dirs++;
            } else {
                links++;
            }
        }
        return new FilesManifest.Counts(entries.size(), files, dirs, links, bytes);
    }

    /** The kernel's host name (no DNS lookup); the manifest says which machine the files came from. */
    private static String hostName() {
        try {
            String n = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!n.isEmpty()) return n;
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }

    private static double seconds(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }
}
