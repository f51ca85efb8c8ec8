package dev.lifeboat.mirror;

/**
 * One run of {@code mirror}: what to look at ({@code prefix}, {@code exclude}), what it may do
 * ({@code remove} at most {@code maxDelete} copies, {@code dryRun}), how many copies at once;
 * {@code reverse} copies back into the live bucket, replacing differing objects only with
 * {@code overwrite}. {@code listThreads} 1 lists each side with one recursive listing; more walks
 * the '/' levels with that many listings at once ({@link dev.lifeboat.store.PrefixWalk}).
 */
public record MirrorRequest(String prefix, KeyGlob exclude, boolean remove, int maxDelete, boolean dryRun,
                            int workers, boolean reverse, boolean overwrite, int listThreads) {
    public MirrorRequest(String prefix, KeyGlob exclude, boolean remove, int maxDelete, boolean dryRun,
                         int workers, boolean reverse, boolean overwrite) {
        this(prefix, exclude, remove, maxDelete, dryRun, workers, reverse, overwrite, 1);
    }

    public MirrorRequest {
        if (listThreads < 1) throw new IllegalArgumentException("listThreads must be at least 1");
        prefix = prefix == null ? "" : prefix;
        exclude = exclude == null ? KeyGlob.none() : exclude;
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
        if (maxDelete < 0) throw new IllegalArgumentException("maxDelete must not be negative");
    }

    /** A plain forward run of everything with {@code workers} copies at once. */
    public static MirrorRequest forward(int workers) {
        return new MirrorRequest("", KeyGlob.none(), false, 1000, false, workers, false, false);
    }
}
