package dev.lifeboat.rotate;

import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.config.Durations;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Unfinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lifeboat rotate}: list the backups of one source ({@code pg/} and {@code files/}), plan
 * with {@link RetentionPolicy}, refuse when the listing looks wrong, and delete what the plan
 * drops (manifests first, so a half-deleted backup never looks complete), then lifeboat's own
 * old leftovers. Deletes nothing in a dry run or when it refuses without {@code force}.
 */
public final class RotateJob {
    private static final Logger log = LoggerFactory.getLogger(RotateJob.class);
    static final List<String> KINDS = List.of(BackupKey.PG, BackupKey.FILES);

    /**
     * HOOK for the store lock: rotate must hold the store exclusively while it deletes (restore,
     * verify and drill hold it shared). Acquired before the listing, released after the last
     * delete; not taken in a dry run.
     */
    @FunctionalInterface
    public interface ExclusiveHold {
        Closeable acquire(String purpose) throws IOException;

        /** Takes no lock at all: what RotateCommand passes until the store lock exists. */
        ExclusiveHold NO_LOCK = purpose -> () -> { };
    }

    public record Request(String source, boolean dryRun, boolean force, Instant now) {}

    private final ObjectStore store;
    private final RotateSettings settings;
    private final ExclusiveHold exclusive;

    public RotateJob(ObjectStore store, RotateSettings settings, ExclusiveHold exclusive) {
        this.store = store;
        this.settings = settings;
        this.exclusive = exclusive;
    }

    public RotateReport run(Request request) throws IOException {
        try (Closeable hold = request.dryRun() ? () -> { } : exclusive.acquire("rotate " + request.source())) {
            return runHeld(request);
        }
    }

    private RotateReport runHeld(Request req) throws IOException {
        Instant now = req.now();
        RetentionPolicy policy = new RetentionPolicy(settings.retention());
        LeftoverSweep sweep = new LeftoverSweep(store);
        Instant graceCutoff = now.minus(settings.leftoverGrace());

        List<BackupCatalog> catalogs = new ArrayList<>();
        Map<String, RetentionPlan> plans = new LinkedHashMap<>();
        Map<String, CatalogEntry> byStem = new HashMap<>();
        List<RotateReport.Row> rows = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        List<Unfinished> unfinished = new ArrayList<>();
        for (String kind : KINDS) {
            BackupCatalog catalog = BackupCatalog.read(store, kind, req.source());
            catalogs.add(catalog);
            List<RetentionCandidate> candidates = new ArrayList<>();
            for (CatalogEntry e : catalog.complete()) {
                candidates.add(RetentionCandidate.of(e));
                byStem.put(e.key().stem(), e);
            }
            RetentionPlan plan = policy.plan(candidates, now);
            plans.put(kind, plan);
            for (RetentionPlan.Decision d : plan.decisions()) rows.add(row(kind, byStem.get(d.backup().id()), d));
            leftovers.addAll(sweep.incomplete(catalog, graceCutoff));
            unfinished.addAll(sweep.unfinished(kind, req.source(), graceCutoff));
        }
        List<String> replaced = sweep.expiredReplaced(now, settings.keepReplaced());
        List<String> refusals = refusals(req.source(), catalogs, plans, now);
        for (String r : refusals) {
            if (req.force()) log.warn("--force: going on although {}", r);
            else log.warn("refusing to delete anything: {}", r);
        }

        List<String> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        boolean apply = !req.dryRun() && (refusals.isEmpty() || req.force());
        if (apply) {
            List<CatalogEntry> removed = new ArrayList<>();
            for (RetentionPlan plan : plans.values()) {
                for (RetentionPlan.Decision d : plan.removed()) removed.add(byStem.get(d.backup().id()));
            }
            removeBackups(removed, sweep, deleted, failed);
            deletePhase(leftovers, deleted, failed);
            for (Unfinished u : unfinished) {
                try {
                    store.abort(u);
                } catch (IOException e) {
                    failed.put(u.key() + " (upload " + u.uploadId() + ")", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                }
            }
            deletePhase(replaced, deleted, failed);
            log.info("rotate {}: deleted {} objects, {} failed", req.source(), deleted.size(), failed.size());
        }
        List<String> uploads = unfinished.stream().map(u -> u.key() + " (started " + u.started() + ")").toList();
        return new RotateReport(req.source(), store.describe(), now, req.dryRun(), req.force(), settings.retention().describe(),
                refusals, apply, rows, leftovers, uploads, replaced, deleted, failed);
    }

    /** Manifests first (a backup whose manifest could not be deleted keeps its data), then verified.json, then the data. */
    private void removeBackups(List<CatalogEntry> removed, LeftoverSweep sweep, List<String> deleted,
                               Map<String, String> failed) throws IOException {
        List<String> manifests = removed.stream().map(e -> e.key().manifestKey()).toList();
        deletePhase(manifests, deleted, failed);
        List<CatalogEntry> uncommitted = removed.stream().filter(e -> !failed.containsKey(e.key().manifestKey())).toList();
        List<String> verified = new ArrayList<>();
        List<String> data = new ArrayList<>();
        for (CatalogEntry e : uncommitted) {
            for (ObjectInfo o : e.objects()) {
                if (o.key().equals(e.key().manifestKey())) continue;
                if (o.key().equals(e.key().verifiedKey())) verified.add(o.key());
                else if (e.isKnownSuffix(o)) data.add(o.key());
            }
            data.addAll(sweep.ownUnknownSuffix(e));
        }
        deletePhase(verified, deleted, failed);
        deletePhase(data, deleted, failed);
    }

    private void deletePhase(List<String> keys, List<String> deleted, Map<String, String> failed) {
        if (keys.isEmpty()) return;
        Map<String, String> failures;
        try {
            failures = store.deleteAll(keys);
        } catch (IOException e) {
            failures = new HashMap<>();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            for (String k : keys) failures.put(k, why);
        }
        for (String k : keys) {
            if (failures.containsKey(k)) {
                failed.put(k, failures.get(k));
                log.warn("could not delete {}: {}", k, failures.get(k));
            } else {
                deleted.add(k);
            }
        }
    }

    private List<String> refusals(String source, List<BackupCatalog> catalogs, Map<String, RetentionPlan> plans, Instant now) {
        List<String> out = new ArrayList<>();
        if (catalogs.stream().allMatch(c -> c.complete().isEmpty())) {
            out.add("no complete backup found under pg/" + source + "/ or files/" + source + "/ in " + store.describe()
                    + " (is BACKUP_SOURCE_NAME right?)");
            return out;
        }
        for (BackupCatalog c : catalogs) {
            List<CatalogEntry> complete = c.complete();
            if (complete.isEmpty()) continue;
            CatalogEntry newest = complete.get(complete.size() - 1);
            Duration age = Duration.between(newest.time(), now);
            if (age.compareTo(settings.maxAge(c.kind())) > 0) {
                out.add("the newest complete backup " + newest.key().stem() + " is " + Durations.format(age.withNanos(0))
                        + " old, older than " + RotateSettings.maxAgeVariable(c.kind()) + "=" + Durations.format(settings.maxAge(c.kind()))
                        + " (backups seem to have stopped; deleting old ones now could leave nothing)");
            }
            int removing = plans.get(c.kind()).removed().size();
            if (removing * 2 > complete.size()) {
                out.add("the plan would remove " + removing + " of " + complete.size() + " complete " + c.kind()
                        + " backups, more than half (check with --dry-run, then run once with --force)");
            }
        }
        return out;
    }

    private static RotateReport.Row row(String kind, CatalogEntry e, RetentionPlan.Decision d) {
        List<String> reasons = d.keep() ? d.reasons().stream().map(KeepReason::toString).toList() : List.of(d.removeCause());
        return new RotateReport.Row(kind, e.key().stem(), e.time(), e.key().tag(), e.verified(), e.objects().size(),
                e.storedBytes(), d.keep(), reasons);
    }
}
