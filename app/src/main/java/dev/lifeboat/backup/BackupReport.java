package dev.lifeboat.backup;

/** What a backup wrote, for the summary line, the --json report, metrics and notifications. */
public record BackupReport(String status, String source, String key, String manifestKey, String globalsKey,
                           long dumpBytes, long storedBytes, String sha256, int tables, long rows,
                           double durationSeconds, double megabytesPerSecond) {}
