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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lifeboat mirror --reverse}, the runbook's restore step: every copy in the backup whose
 * live object is missing is copied back; a live object that differs from its copy (size or ETag
 * against the index) is replaced only with --overwrite, and listed otherwise. Nothing in the live
 * bucket is ever deleted.
 */
public final class ReverseJob {
    private static final Logger log = LoggerFactory.getLogger("mirror");

    private final ObjectStore store;
    private final LiveBucket live;
    private final Clock clock;

    public ReverseJob(ObjectStore store, LiveBucket live, Clock clock) {
        this.store = store;
        this.live = live;
        this.clock = clock;
    }

    public MirrorReport run(MirrorRequest request) {
        Instant start = clock.instant();
        String bucket = live.name();
        String copyPrefix = MirrorKeys.copyPrefix(bucket);
        List<ObjectInfo> copies = Listings.copies(store, copyPrefix + request.prefix(), request.listThreads());
        Map<String, LiveObject> liveByKey = new HashMap<>();
        for (LiveObject o : Listings.live(live, request.prefix(), request.listThreads())) liveByKey.put(o.key(), o);
        MirrorIndex index = MirrorIndex.read(store, bucket);
        Copier copier = new Copier(store, live, index, clock);
        Tally tally = new Tally(log);
        List<ObjectInfo> missing = new ArrayList<>();
        List<ObjectInfo> differ = Collections.synchronizedList(new ArrayList<>());
        int excluded = 0;
        try (Workers workers = new Workers(request.workers(), "mirror-reverse")) {
            for (ObjectInfo c : copies) {
                String key = c.key().substring(copyPrefix.length());
                if (request.exclude().matches(key)) {
                    excluded++;
                    continue;
                }
                LiveObject current = liveByKey.get(key);
                if (current == null) missing.add(c);
                else workers.submit(() -> compare(key, c, current, index, copier, differ, tally));
            }
            workers.awaitAll(MirrorJob.PROGRESS_EVERY, () -> log.info("comparing live objects with their copies..."));
            List<ObjectInfo> overwrite = request.overwrite() ? List.copyOf(differ) : List.of();
            List<String> differing = request.overwrite() ? List.of() : sortedKeys(differ, copyPrefix);
            differing.forEach(k -> log.warn("{} differs from its copy; left as it is (use --overwrite to replace it)", MirrorKeys.printable(k)));
            if (request.dryRun()) {
                return report(request, start, copies.size(), excluded, tally, sortedKeys(missing, copyPrefix), sortedKeys(overwrite, copyPrefix), differing);
            }
            for (ObjectInfo c : missing) workers.submit(() -> put(c, copyPrefix, false, copier, tally));
            for (ObjectInfo c : overwrite) workers.submit(() -> put(c, copyPrefix, true, copier, tally));
            workers.awaitAll(MirrorJob.PROGRESS_EVERY, () -> log.info("mirror --reverse: {} restored ({} MB) so far",
                    tally.copied.get(), tally.bytes.get() / 1_000_000));
            if (index.changed() && index.state() == MirrorIndex.State.FOUND) {
                try {
                    index.write(store, bucket, clock.instant());
                } catch (IOException | RuntimeException e) {
                    log.warn("could not update the mirror index (the next mirror run re-checks these objects): {}", e.toString());
                }
            }
            return report(request, start, copies.size(), excluded, tally, List.of(), List.of(), differing);
        }
    }

    private void compare(String key, ObjectInfo copy, LiveObject current, MirrorIndex index, Copier copier, List<ObjectInfo> differ, Tally tally) {
        try {
            MirrorIndex.Entry known = index.get(key);
            if (known == null) known = copier.fromMetadata(key).orElse(null);
            if (known != null && known.matches(current) && copy.size() == current.size()) tally.skipped.incrementAndGet();
            else differ.add(copy);
        } catch (IOException | RuntimeException e) {
            tally.fail(key, e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }

    private void put(ObjectInfo copy, String copyPrefix, boolean overwrite, Copier copier, Tally tally) {
        String key = copy.key().substring(copyPrefix.length());
        try {
            tally.bytes.addAndGet(copier.copyBack(key, copy.size()));
            tally.copied.incrementAndGet();
            if (overwrite) tally.replaced.incrementAndGet();
            log.info("{} {} from the backup", overwrite ? "replaced" : "restored", MirrorKeys.printable(key));
        } catch (IOException | RuntimeException e) {
            tally.fail(key, e instanceof IOException io ? io : new IOException(e.toString(), e));
        }
    }

    private MirrorReport report(MirrorRequest request, Instant start, int listed, int excluded, Tally tally,
                                List<String> wouldCopy, List<String> wouldReplace, List<String> differing) {
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        MirrorReport r = new MirrorReport(live.name(), store.describe(), true, request.dryRun(), listed,
                tally.copied.get(), tally.skipped.get(), tally.replaced.get(), 0, excluded, tally.failed(), tally.bytes.get(),
                seconds, wouldCopy, wouldReplace, List.of(), differing, null);
        log.info(r.summary());
        return r;
    }

    private static List<String> sortedKeys(List<ObjectInfo> infos, String copyPrefix) {
        List<String> out = new ArrayList<>();
        for (ObjectInfo i : infos) out.add(i.key().substring(copyPrefix.length()));
        out.sort(null);
        return out;
    }
}
