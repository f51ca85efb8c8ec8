package dev.lifeboat.files;

import java.util.List;

/** What {@code restore --files} restored, for the summary and {@code --json}. */
public record FilesRestoreReport(String status, String backup, String takenAt, String into, long files, long directories,
                                 long symlinks, long fileBytes, boolean ownersRestored,
                                 List<FilesManifest.Changed> changedWhileRead, List<String> checks, double durationSeconds) {}
