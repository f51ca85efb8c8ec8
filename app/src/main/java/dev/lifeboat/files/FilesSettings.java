package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.EncryptionConfig;
import dev.lifeboat.stage.Compression;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the environment and the flags of {@code backup --files} into a {@link FilesRequest};
 * every problem stops here (exit 2), before anything is read or written. Paths come from the
 * command line, else from {@code BACKUP_FILES_PATHS} (comma-separated).
 */
public final class FilesSettings {
    private FilesSettings() {}

    public static FilesRequest fromEnv(Env env, List<String> paths, List<String> excludes, String tag, boolean strict) {
        List<Path> roots = roots(paths.isEmpty() ? env.list("BACKUP_FILES_PATHS") : paths);
        Excludes ex = new Excludes(excludes);
        String source = SourceName.fromEnv(env);
        Compression compression = Compression.fromEnv(env);
        int level = compression.level(env);
        EncryptionConfig enc = EncryptionConfig.fromEnv(env);
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new FilesRequest(source, tag == null ? null : BackupKey.requireTag("--tag", tag), roots, ex, strict,
                compression, level, workers, enc.enabled() ? enc::encrypt : null, enc.mode(), enc.recipientFingerprints(),
                enc.signerFingerprint().orElse(null));
    }

    /** Absolute, normalized, existing roots, none inside another. */
    static List<Path> roots(List<String> given) {
        if (given.isEmpty()) {
            throw LifeboatException.config("backup --files needs paths: give them as arguments or set BACKUP_FILES_PATHS"
                    + " (comma-separated files and directories)");
        }
        List<Path> roots = new ArrayList<>();
        for (String text : given) {
            Path p;
            try {
                p = Path.of(text).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw LifeboatException.config("backup --files: " + text + " is not a valid path");
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw LifeboatException.config("backup --files: " + text + " does not exist");
            }
            if (p.getNameCount() == 0) {
                throw LifeboatException.config("backup --files: refusing to archive the root directory /; name the directories to keep");
            }
            for (Path other : roots) {
                if (p.startsWith(other) || other.startsWith(p)) {
                    throw LifeboatException.config("backup --files: " + p + " and " + other + " overlap; name each tree once");
                }
            }
            roots.add(p);
        }
        return roots;
    }
}
