package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.restore.Parallelism;
import picocli.CommandLine.Option;

/** How restore and drill put a dump in: {@code --jobs} and {@code --spool}. */
public final class LoadOptions {
    @Option(names = "--jobs", paramLabel = "N", description = {"Connections for the data (N pg_restore at once, each table's rows",
            "shared out between them) and for the index and constraint builds after it. Default 2."})
    int jobs = Parallelism.DEFAULT_JOBS;

    @Option(names = "--spool", description = {"Load whole tables per pg_restore instead, from a file in BACKUP_SPOOL_DIR that",
            "the archive is written to as it arrives (space for the whole dump checked; removed afterwards)."})
    boolean spool;

    Parallelism parallelism() {
        if (jobs < 1 || jobs > 64) throw LifeboatException.config("--jobs must be between 1 and 64, not " + jobs);
        return new Parallelism(jobs, spool);
    }
}
