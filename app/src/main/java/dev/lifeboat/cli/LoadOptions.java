package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.restore.Parallelism;
import picocli.CommandLine.Option;

/** How restore and drill put a dump in: {@code --jobs} and {@code --spool}. */
public final class LoadOptions {
    @Option(names = "--jobs", paramLabel = "N", description = {"Connections for the index and constraint builds after the data",
            "(pg_restore -j N for the post-data section); the data streams through one. Default 2."})
    int jobs = Parallelism.DEFAULT_JOBS;

    @Option(names = "--spool", description = {"Also load the data with N pg_restore at once, from a file in BACKUP_SPOOL_DIR that",
            "the archive is written to as it arrives (space for the whole dump checked; removed afterwards)."})
    boolean spool;

    Parallelism parallelism() {
        if (jobs < 1 || jobs > 64) throw LifeboatException.config("--jobs must be between 1 and 64, not " + jobs);
        return new Parallelism(jobs, spool);
    }
}
