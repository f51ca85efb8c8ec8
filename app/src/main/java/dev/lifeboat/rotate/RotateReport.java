package dev.lifeboat.rotate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a rotate run planned and did. {@code applied} is false for a dry run and for a refusal;
 * {@code deleted} holds what was actually deleted (or, in a dry run, nothing), {@code failed}
 * each key that could not be deleted with the store's reason.
 */
public record RotateReport(String source, String store, Instant now, boolean dryRun, boolean forced, String policy,
                           List<String> refusals, boolean applied, List<Row> backups, List<String> leftovers,
                           List<String> unfinishedUploads, List<String> expiredReplaced, List<String> deleted,
                           Map<String, String> failed) {
    public RotateReport {
        refusals = List.copyOf(refusals);
        backups = List.copyOf(backups);
        leftovers = List.copyOf(leftovers);
        unfinishedUploads = List.copyOf(unfinishedUploads);
        expiredReplaced = List.copyOf(expiredReplaced);
        deleted = List.copyOf(deleted);
        failed = Map.copyOf(failed);
    }

    /** One complete backup and the policy's decision: {@code reasons} are the keep reasons, or the remove cause. */
    public record Row(String kind, String key, Instant time, String tag, boolean verified, int objects, long bytes,
                      boolean keep, List<String> reasons) {
        public Row {
            reasons = List.copyOf(reasons);
        }
    }

    public long keptCount() {
        return backups.stream().filter(Row::keep).count();
    }

    public long removedCount() {
        return backups.size() - keptCount();
    }

    /** Refused, and not overridden with --force: nothing was (or would be) deleted. */
    public boolean refused() {
        return !refusals.isEmpty() && !forced;
    }
}
