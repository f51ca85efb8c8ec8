package dev.lifeboat.mirror;

import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;

/**
 * {@code lifeboat mirror}: the live bucket into {@code minio/<bucket>/} of the backup store, by
 * content (size and source ETag from the index), streaming, several objects at once. One object's
 * failure does not stop the others; the report names every failed key.
 */
public final class MirrorJob {
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    /** Objects this large are uploaded multipart, each holding several part buffers: at most two at once. */
    static final long LARGE = 8L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger("mirror");
    private final Semaphore largeCopies = new Semaphore(2);

    private final ObjectStore store;
    private final LiveBucket live;
    private final Clock clock;

    public MirrorJob(ObjectStore store, LiveBucket live, Clock clock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
    }

    public MirrorReport run(MirrorRequest request) {
        Instant start = clock.instant();
        String bucket = live.name();
        String copyPrefix = MirrorKeys.copyPrefix(bucket);
        // the two listings and the index are independent: read side by side
        CompletableFuture<List<ObjectInfo>> copiesLater = CompletableFuture.supplyAsync(
                () -> Listings.copies(store, copyPrefix + request.prefix(), request.listThreads()), daemon("mirror-list-copies"));
        CompletableFuture<MirrorIndex> indexLater = CompletableFuture.supplyAsync(() -> MirrorIndex.read(store, bucket), daemon("mirror-read-index"));
        List<LiveObject> liveList = Listings.live(live, request.prefix(), request.listThreads());
        List<ObjectInfo> copies = join(copiesLater);
        MirrorIndex index = join(indexLater);
        Listings.warnAboutIndex(log, index, store, bucket, copies.size());
        forgetVanished(index, copies, copyPrefix, request.prefix());
        MirrorPlan plan = MirrorPlan.of(liveList, copies, copyPrefix, index, request.exclude());
        log.info("mirror {} -> {}: {} live objects, {} copies, {} to copy, {} changed, {} to check",
                live.describe(), store.describe(), plan.listed(), copies.size(), plan.copies().size(), plan.replaces().size(), plan.rechecks().size());
        Tally tally = new Tally(log);
        plan.refused().forEach(f -> tally.fail(f.key(), f.reason()));
        tally.skipped.addAndGet(plan.unchanged());
        Copier copier = new Copier(store, live, index, clock);
        List<LiveObject> replaces = Collections.synchronizedList(new ArrayList<>(plan.replaces()));
        List<String> removals = new ArrayList<>();
        String refusal;
        try (Workers workers = new Workers(request.workers(), "mirror")) {
            for (LiveObject o : plan.rechecks()) workers.submit(() -> recheck(o, copier, index, replaces, tally));
            workers.awaitAll(PROGRESS_EVERY, () -> log.info("checking copies without an index entry..."));
            refusal = request.remove() ? Removal.refusal(plan, liveList.isEmpty(), tally.anyFailed(), request.maxDelete()) : null;
            if (request.dryRun()) {
                if (request.remove() && refusal == null) removals.addAll(plan.orphans());
                return report(request, start, plan, tally, plan.copies(), replaces, removals, refusal);
            }
            for (LiveObject o : plan.copies()) workers.submit(() -> copy(o, false, copier, tally));
            for (LiveObject o : List.copyOf(replaces)) workers.submit(() -> copy(o, true, copier, tally));
            workers.awaitAll(PROGRESS_EVERY, () -> log.info("mirror: {} copied ({} MB) so far",
                    tally.copied.get(), tally.bytes.get() / 1_000_000));
            if (request.remove() && refusal == null) {
                refusal = Removal.refusal(plan, liveList.isEmpty(), tally.anyFailed(), request.maxDelete());
                if (refusal == null) new Removal(copier, tally, log).run(plan.orphans(), workers);
            }
        }
        if (index.changed()) {
            try {
                index.write(store, bucket, clock.instant());
            } catch (IOException | RuntimeException e) {
                tally.fail(MirrorKeys.indexKey(bucket), e instanceof IOException io ? io : new IOException(e.toString(), e));
            }
        }
        if (refusal != null) log.warn("--remove: nothing removed: {}", refusal);
        return report(request, start, plan, tally, List.of(), List.of(), List.of(), refusal);
    }

    private void recheck(LiveObject o, Copier copier, MirrorIndex index, List<LiveObject> replaces, Tally tally) {
        try {
            MirrorIndex.Entry known = copier.fromMetadata(o.key()).orElse(null);
            if (known != null && known.matches(o)) {
                index.put(o.key(), known);
                tally.skipped.incrementAndGet();
            } else {
                replaces.add(o);
            }
        } catch (IOException | RuntimeException e) {
            tally.fail(o.key(), e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }

    private void copy(LiveObject o, boolean replace, Copier copier, Tally tally) {
        boolean held = false;
        try {
            if (o.size() >= LARGE) {
                largeCopies.acquire();
                held = true;
            }
            if (replace) {
                String to = copier.moveAway(o.key());
                log.info("{} changed in the live bucket; the old copy is now {}", MirrorKeys.printable(o.key()), to);
            }
            tally.bytes.addAndGet(copier.copyIn(o));
            tally.copied.incrementAndGet();
            if (replace) tally.replaced.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            tally.fail(o.key(), e instanceof IOException io ? io : new IOException(e.toString(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.fail(o.key(), "interrupted");
        } finally {
            if (held) largeCopies.release();
        }
    }

    private static java.util.concurrent.Executor daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        };
    }

    /** The value, or the listing's own exception (a LifeboatException) as it was thrown. */
    private static <T> T join(CompletableFuture<T> later) {
        try {
            return later.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    /** Index entries under the prefix whose copy is gone are dropped (the copy will be made again). */
    private static void forgetVanished(MirrorIndex index, List<ObjectInfo> copies, String copyPrefix, String prefix) {
        Set<String> present = new HashSet<>();
        for (ObjectInfo c : copies) present.add(c.key().substring(copyPrefix.length()));
        for (String key : List.copyOf(index.entries().keySet())) {
            if (key.startsWith(prefix) && !present.contains(key)) index.remove(key);
        }
    }

    private MirrorReport report(MirrorRequest request, Instant start, MirrorPlan plan, Tally tally,
                                List<LiveObject> wouldCopy, List<LiveObject> wouldReplace, List<String> wouldRemove, String refusal) {
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        MirrorReport r = new MirrorReport(live.name(), store.describe(), false, request.dryRun(), plan.listed(),
                tally.copied.get(), tally.skipped.get(), tally.replaced.get(), tally.removed.get(), plan.excluded(),
                tally.failed(), tally.bytes.get(), seconds, keys(wouldCopy), keys(wouldReplace), List.copyOf(wouldRemove), List.of(), refusal);
        log.info(r.summary());
        return r;
    }

    private static List<String> keys(List<LiveObject> objects) {
        List<String> out = new ArrayList<>();
        for (LiveObject o : objects) out.add(o.key());
        out.sort(null);
        return out;
    }
}
