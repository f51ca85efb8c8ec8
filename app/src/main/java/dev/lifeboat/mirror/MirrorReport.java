package dev.lifeboat.mirror;

import java.util.List;

/**
 * What a mirror run did (or, with --dry-run, would do), as printed by {@code --json}.
 * {@code copied} counts new copies and replacements (so {@code replaced} is a part of it);
 * with --reverse, {@code copied} counts objects written into the live bucket and
 * {@code differing} names live objects left as they are because they differ and --overwrite
 * was not given. {@code removalRefused} says why --remove removed nothing, when it did not run.
 */
public record MirrorReport(String bucket, String store, boolean reverse, boolean dryRun,
                           int listed, int copied, int skipped, int replaced, int removed, int excluded,
                           List<Failed> failed, long bytes, double durationSeconds,
                           List<String> wouldCopy, List<String> wouldReplace, List<String> wouldRemove,
                           List<String> differing, String removalRefused) {

    /** A key that was not copied (or moved, or removed), and why. */
    public record Failed(String key, String reason) {}

    public boolean ok() {
        return failed.isEmpty() && differing.isEmpty() && removalRefused == null;
    }

    /** The one line that ends every run. */
    public String summary() {
        String what = reverse ? "mirror --reverse" : "mirror";
        return String.format("%s%s %s: listed %d, copied %d, skipped %d, replaced %d, removed %d, excluded %d, failed %d%s, %.1f MB, %.1f s",
                what, dryRun ? " (dry run)" : "", bucket, listed, copied, skipped, replaced, removed, excluded, failed.size(),
                reverse ? ", differing " + differing.size() : "", bytes / 1e6, durationSeconds);
    }
}
