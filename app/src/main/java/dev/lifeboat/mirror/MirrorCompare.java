package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code drill --files}: is every live object in the backup, unchanged? Uses the two listings
 * and the index only (no per-object request). Objects modified within {@code grace} of now are
 * not judged (the hourly mirror has not had its chance yet); MIRROR_EXCLUDE applies as in mirror.
 */
public final class MirrorCompare {
    private static final Logger log = LoggerFactory.getLogger("drill");

    private MirrorCompare() {}

    /** Opens the live bucket from MINIO_* and compares it with {@code store}. */
    public static CompareReport run(Env env, ObjectStore store, Duration grace, Clock clock) {
        try (MinioBucket live = new MinioBucket(MinioSettings.fromEnv(env))) {
            return run(store, live, MirrorSettings.exclude(env, List.of()), grace, clock);
        } catch (IOException e) {
            throw LifeboatException.failed("closing the MinIO client: " + e.getMessage(), e);
        }
    }

    public static CompareReport run(ObjectStore store, LiveBucket live, KeyGlob exclude, Duration grace, Clock clock) {
        Instant start = clock.instant();
        Instant cutoff = start.minus(grace);
        String bucket = live.name();
        String copyPrefix = MirrorKeys.copyPrefix(bucket);
        List<LiveObject> liveList = Listings.live(live, "", 1);
        Map<String, Long> copySizes = new HashMap<>();
        for (ObjectInfo c : Listings.copies(store, copyPrefix, 1)) copySizes.put(c.key().substring(copyPrefix.length()), c.size());
        MirrorIndex index = MirrorIndex.read(store, bucket);
        int recent = 0;
        int excluded = 0;
        List<String> missing = new ArrayList<>();
        List<CompareReport.Difference> differing = new ArrayList<>();
        List<CompareReport.Difference> refused = new ArrayList<>();
        for (LiveObject o : liveList) {
            if (exclude.matches(o.key())) {
                excluded++;
                continue;
            }
            if (o.lastModified().isAfter(cutoff)) {
                recent++;
                continue;
            }
            String problem = MirrorKeys.problem(o.key());
            if (problem != null) {
                refused.add(new CompareReport.Difference(MirrorKeys.printable(o.key()), problem));
                continue;
            }
            Long copySize = copySizes.get(o.key());
            MirrorIndex.Entry entry = index.get(o.key());
            if (copySize == null) missing.add(o.key());
            else if (copySize != o.size()) differing.add(new CompareReport.Difference(o.key(), "the copy has " + copySize + " bytes, the live object " + o.size()));
            else if (entry == null) differing.add(new CompareReport.Difference(o.key(), "not in the mirror index (run lifeboat mirror)"));
            else if (!entry.matches(o)) differing.add(new CompareReport.Difference(o.key(), "changed since it was copied (ETag " + entry.etag() + " then, " + o.etag() + " now)"));
        }
        boolean ok = missing.isEmpty() && differing.isEmpty() && refused.isEmpty();
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        CompareReport report = new CompareReport(bucket, store.describe(), liveList.size(), copySizes.size(), recent, excluded,
                index.state().name().toLowerCase(), missing, differing, refused, seconds, ok);
        log.info(report.summary());
        return report;
    }
}
