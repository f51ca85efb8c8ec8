package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.rotate.RotateJob;
import dev.lifeboat.rotate.RotateReport;
import dev.lifeboat.rotate.RotateReportFormat;
import dev.lifeboat.rotate.RotateSettings;
import dev.lifeboat.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Apply the retention policy (BACKUP_KEEP_*): delete the backups it drops, manifest first, "
                + "and lifeboat's own leftovers older than 24h.",
                "Refuses (exit 1, deletes nothing) when no complete backup is found, the newest is older than "
                + "BACKUP_MAX_AGE, or more than half would be removed; --force overrides."})
public final class RotateCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Option(names = "--dry-run", description = "Print the plan (key, time, keep/remove, reasons); change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Go on although the listing looks wrong (said in the log).")
    boolean force;

    @Option(names = "--json", description = "Print the plan and what was deleted as one JSON document on stdout.")
    boolean json;

    @Option(names = "--source", paramLabel = "NAME", description = "The <source> of the object keys (env: BACKUP_SOURCE_NAME).")
    String source;

    @Override
    public Integer call() throws IOException {
        Env env = root.env();
        RotateSettings settings = RotateSettings.fromEnv(env);
        String name = source != null ? BackupKey.requireSource("--source", source) : SourceName.fromEnv(env);
        RotateReport report;
        try (ObjectStore store = openStore(env)) {
            report = new RotateJob(store, settings, RotateJob.ExclusiveHold.NO_LOCK)
                    .run(new RotateJob.Request(name, dryRun, force, root.clock().instant()));
        }
        if (json) root.out().println(RotateReportFormat.json(report));
        else RotateReportFormat.table(report, root.out());
        if (report.refused()) {
            throw LifeboatException.checkFailed((dryRun ? "rotate would refuse: " : "rotate refused, nothing deleted: ")
                    + String.join("; ", report.refusals()));
        }
        if (!report.failed().isEmpty()) {
            throw LifeboatException.failed(report.failed().size() + " objects could not be deleted (first: "
                    + report.failed().keySet().iterator().next() + "); the rest were");
        }
        return 0;
    }

    /** HOOK for the store helper: open the backup store from BACKUP_S3_* / BACKUP_DIR. */
    private static ObjectStore openStore(Env env) {
        throw LifeboatException.failed("rotate: the backup store (S3Store/LocalStore) is not wired in yet");
    }
}
