package dev.lifeboat.files;

import dev.lifeboat.stage.Compression;
import dev.lifeboat.stage.Encryptor;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code backup --files} archives and how: the roots (absolute, normalized, existing, not
 * inside each other), exclusion globs, and the same compression and encryption settings as a
 * database backup. {@code encryptor} null means unencrypted. {@code strict}: a file that
 * changes while it is read fails the run instead of being reported.
 */
public record FilesRequest(String source, String tag, List<Path> roots, Excludes excludes, boolean strict,
                           Compression compression, int level, int workers, Encryptor encryptor,
                           String encryptionMode, List<String> recipients, String signer) {
    public FilesRequest {
        roots = List.copyOf(roots);
        recipients = List.copyOf(recipients);
    }

    public boolean encrypted() {
        return encryptor != null;
    }
}
