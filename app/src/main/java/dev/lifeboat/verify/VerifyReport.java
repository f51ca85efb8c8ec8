package dev.lifeboat.verify;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * What one verify run found: the level that ran, one verdict per backup, and the age of the
 * newest complete backup of the source (a check of the store, not of one backup; its age in
 * seconds is {@code newestAgeSeconds}, null when there is no complete backup).
 */
public record VerifyReport(String source, String store, VerifyLevel level, List<BackupVerdict> backups, Check age,
                           Long newestAgeSeconds) {
    public VerifyReport {
        backups = List.copyOf(backups);
    }

    @JsonProperty("passed")
    public boolean passed() {
        return !age.failed() && backups.stream().allMatch(BackupVerdict::passed);
    }

    /**
     * The exit message when something failed: the first failed backup's key, its first failed
     * layer and that layer's detail ("verify pg/app/2026-11-20/140000: checksum: stored object
     * has sha256 ab…, manifest says cd…"); else the age failure.
     */
    public Optional<String> failureMessage() {
        List<BackupVerdict> failed = backups.stream().filter(b -> !b.passed()).toList();
        if (!failed.isEmpty()) {
            BackupVerdict b = failed.get(0);
            Check c = b.firstFailure().orElseThrow();
            String more = failed.size() > 1 ? " (" + (failed.size() - 1) + " more backup(s) failed)" : "";
            String age = this.age.failed() ? "; age: " + this.age.detail() : "";
            return Optional.of("verify " + b.key() + ": " + c.layer() + ": " + c.detail() + more + age);
        }
        if (age.failed()) return Optional.of("verify: age: " + age.detail());
        return Optional.empty();
    }
}
