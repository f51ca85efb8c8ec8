package dev.lifeboat.mirror;

/**
 * One run of {@code mirror}: what to look at ({@code prefix}, {@code exclude}), what it may do
 * ({@code remove} at most {@code maxDelete} copies, {@code dryRun}), how many copies at once;
 * {@code reverse} copies back into the live bucket, replacing differing objects only with
 * {@code overwrite}.
 */
public record MirrorRequest(String prefix, KeyGlob exclude, boolean remove, int maxDelete, boolean dryRun,
                            int workers, boolean reverse, boolean overwrite) {
    public MirrorRequest {
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
