package dev.lifeboat.mirror;

import org.slf4j.Logger;

import java.io.IOException;
import java.util.List;

/**
 * {@code --remove}: copies whose live object is gone are moved under minio-replaced/ (never
 * deleted outright), and only when the run is trustworthy: the live listing was not empty,
 * nothing failed, and there are at most {@code --max-delete} of them.
 */
final class Removal {
    private final Copier copier;
    private final Tally tally;
    private final Logger log;

    Removal(Copier copier, Tally tally, Logger log) {
        this.copier = copier;
        this.tally = tally;
        this.log = log;
    }

    /** Why nothing may be removed in this run, or null when the removals may go ahead. */
    static String refusal(MirrorPlan plan, boolean liveListingEmpty, boolean anyFailed, int maxDelete) {
        if (plan.orphans().isEmpty()) return null;
        if (liveListingEmpty) return "the live listing is empty (" + plan.orphans().size() + " copies would have gone); is MINIO_BUCKET or --prefix right?";
        if (anyFailed) return "errors happened in this run; removals wait for a clean run";
        if (plan.orphans().size() > maxDelete) {
            return plan.orphans().size() + " copies to remove is more than --max-delete " + maxDelete + "; check the live bucket, then rerun with a higher --max-delete";
        }
        return null;
    }

    void run(List<String> orphans, Workers workers) {
        for (String key : orphans) workers.submit(() -> removeOne(key));
        workers.awaitAll(MirrorJob.PROGRESS_EVERY, () -> log.info("--remove: {} removed so far", tally.removed.get()));
    }

    private void removeOne(String key) {
        try {
            if (!copier.ours(key)) {
                log.warn("{}: not written by lifeboat; left alone", MirrorKeys.printable(key));
                return;
            }
            String to = copier.moveAway(key);
            tally.removed.incrementAndGet();
            log.info("{} is gone from the live bucket; its copy is now {}", MirrorKeys.printable(key), to);
        } catch (IOException | RuntimeException e) {
            tally.fail(key, e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }
}
