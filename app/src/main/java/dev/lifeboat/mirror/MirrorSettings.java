package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.util.ArrayList;
import java.util.List;

/** Turns the environment and mirror's flags into a validated {@link MirrorRequest}. */
public final class MirrorSettings {
    public static final int DEFAULT_WORKERS = 8;
    public static final int DEFAULT_MAX_DELETE = 1000;

    private MirrorSettings() {}

    /**
     * @param workers   --workers, or null for MIRROR_WORKERS (default 8)
     * @param maxDelete --max-delete, or null for the default 1000
     */
    public static MirrorRequest fromEnv(Env env, String prefix, List<String> excludes, boolean remove, Integer maxDelete,
                                        boolean dryRun, Integer workers, boolean reverse, boolean overwrite) {
        if (overwrite && !reverse) throw LifeboatException.config("--overwrite only applies to --reverse");
        if (remove && reverse) throw LifeboatException.config("--remove does not apply to --reverse (the live bucket is never pruned)");
        if (maxDelete != null && !remove) throw LifeboatException.config("--max-delete only applies to --remove");
        if (maxDelete != null && maxDelete < 0) throw LifeboatException.config("--max-delete " + maxDelete + " is negative");
        if (prefix != null && prefix.startsWith("/")) throw LifeboatException.config("--prefix " + prefix + " must not start with '/' (keys have no leading slash)");
        int n;
        if (workers != null) {
            if (workers < 1 || workers > 64) throw LifeboatException.config("--workers " + workers + " is not a whole number from 1 to 64");
            n = workers;
        } else {
            n = env.integer("MIRROR_WORKERS", DEFAULT_WORKERS, 1, 64);
        }
        return new MirrorRequest(prefix, exclude(env, excludes), remove, maxDelete == null ? DEFAULT_MAX_DELETE : maxDelete,
                dryRun, n, reverse, overwrite, listThreads(env));
    }

    /**
     * MIRROR_LIST_THREADS (default 8, as rclone's checkers): walks the '/' levels with that many
     * listings at once, one request per directory, which is far quicker where a recursive listing
     * rereads the whole tree for every page (MinIO and S3Proxy on a filesystem); 1 lists each side
     * with one recursive, paginated listing (fewest requests, for stores that bill LIST requests).
     */
    static int listThreads(Env env) {
        return env.integer("MIRROR_LIST_THREADS", 8, 1, 64);
    }

    /** MIRROR_EXCLUDE (comma-separated globs) and the --exclude flags together. */
    public static KeyGlob exclude(Env env, List<String> flags) {
        List<String> all = new ArrayList<>(env.list("MIRROR_EXCLUDE"));
        if (flags != null) all.addAll(flags);
        return KeyGlob.of(all);
    }
}
