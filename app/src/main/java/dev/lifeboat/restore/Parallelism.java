package dev.lifeboat.restore;

/**
 * How a dump is restored. The data streams into {@code jobs} pg_restore at once, each table's
 * rows shared out between them ({@link SplitLoad}; one pg_restore for {@code jobs} 1,
 * {@link ArchiveRestore}), or with {@code spool} into {@code jobs} of them fed whole tables from
 * a spool file as the archive arrives ({@link ParallelLoad}). The post-data section (index and
 * constraint builds) runs with {@code jobs} connections.
 */
public record Parallelism(int jobs, boolean spool) {
    /** --jobs when not given: two connections build indexes and constraints. */
    public static final int DEFAULT_JOBS = 2;

    public Parallelism {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1");
    }
}
