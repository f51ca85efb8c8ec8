package dev.lifeboat.restore;

/**
 * How a dump is restored. The post-data section (index and constraint builds) runs with
 * {@code jobs} connections. The data streams through one pg_restore, or with {@code spool}
 * through {@code jobs} of them at once, fed from a spool file as the archive arrives
 * ({@link ParallelLoad}).
 */
public record Parallelism(int jobs, boolean spool) {
    /** --jobs when not given: two connections build indexes and constraints. */
    public static final int DEFAULT_JOBS = 2;

    public Parallelism {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1");
    }
}
