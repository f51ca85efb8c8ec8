package dev.lifeboat.restore;

import java.util.List;

/** What a restore did: the backup, where it went, the checks, and how to roll back. */
public record RestoreReport(String status, String backup, String backupTime, double ageHours, String target,
                            String restoredInto, String preRestoreDatabase, String safetyBackup, int tables,
                            List<String> checks, String rollback, double durationSeconds, List<String> plan) {}
