package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;

import java.io.IOException;
import java.util.List;

/** The two listings every run starts with; either failing stops the run before anything is touched (exit 3). */
final class Listings {
    private Listings() {}

    static List<LiveObject> live(LiveBucket live, String prefix, int threads) {
        try {
            return live.list(prefix, threads);
        } catch (IOException e) {
            throw LifeboatException.failed("cannot list the live bucket " + live.describe() + ": " + e.getMessage(), e);
        }
    }

    static List<ObjectInfo> copies(ObjectStore store, String prefix, int threads) {
        try {
            return store.list(prefix, threads);
        } catch (IOException e) {
            throw LifeboatException.failed("cannot list " + prefix + " in " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    static void warnAboutIndex(Logger log, MirrorIndex index, ObjectStore store, String bucket, int copies) {
        String key = MirrorKeys.indexKey(bucket);
        if (index.state() == MirrorIndex.State.DAMAGED) {
            log.warn("the mirror index {} in {} is damaged ({}); rebuilding it from the metadata of the {} copies (one request each)",
                    key, store.describe(), index.problem(), copies);
        } else if (index.state() == MirrorIndex.State.MISSING && copies > 0) {
            log.warn("the mirror index {} is missing in {}; rebuilding it from the metadata of the {} copies (one request each)",
                    key, store.describe(), copies);
        }
    }
}
