package dev.lifeboat.files;

import java.util.List;

/** What {@code backup --files} wrote, for the summary line and {@code --json}. */
public record FilesBackupReport(String status, String source, String store, String key, String manifestKey,
                                String entriesKey, long files, long directories, long symlinks, long fileBytes,
                                long storedBytes, String sha256, List<FilesManifest.Changed> changedWhileRead,
                                List<String> skipped, double durationSeconds) {}
