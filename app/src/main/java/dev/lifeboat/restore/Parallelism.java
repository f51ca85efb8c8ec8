package dev.lifeboat.restore;

/**
 * How a dump is restored. The data always passes through one pg_restore connection; the
 * post-data section (index and constraint builds) runs with {@code jobs} connections. With
 * {@code spool} the checked archive is written to a file first and the whole of pg_restore runs
 * with {@code -j jobs}, so several tables' data load at once too.
 */
public record Parallelism(int jobs, boolean spool) {
    /** --jobs when not given: two connections build indexes and constraints. */
    public static final int DEFAULT_JOBS = 2;

    public Parallelism {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1");
    }
}
