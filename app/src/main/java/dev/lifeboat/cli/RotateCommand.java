package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.rotate.RotateJob;
import dev.lifeboat.rotate.RotateReport;
import dev.lifeboat.rotate.RotateReportFormat;
import dev.lifeboat.rotate.RotateSettings;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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
    public Integer call() throws Exception {
        Env env = root.env();
        RotateSettings settings = RotateSettings.fromEnv(env);
        String name = source != null ? BackupKey.requireSource("--source", source) : SourceName.fromEnv(env);
        try (ObjectStore store = ObjectStores.fromEnv(env)) {
            LockSpec locks = dryRun ? LockSpec.none() : LockSpec.rotate(name);
            Operations.of(env, root.clock(), root.err()).run("rotate", name, locks, ctx -> {
                RotateReport report = new RotateJob(store, settings, RotateJob.ExclusiveHold.NO_LOCK)
                        .run(new RotateJob.Request(name, dryRun, force, root.clock().instant()));
                if (json) root.out().println(RotateReportFormat.json(report));
                else RotateReportFormat.table(report, root.out());
                ctx.objects(report.deleted().size());
                check(report);
                return report;
            });
        }
        return 0;
    }

    private void check(RotateReport report) {
        if (report.refused()) {
            throw LifeboatException.checkFailed((dryRun ? "rotate would refuse: " : "rotate refused, nothing deleted: ")
                    + String.join("; ", report.refusals()));
        }
        if (!report.failed().isEmpty()) {
            throw LifeboatException.failed(report.failed().size() + " objects could not be deleted (first: "
                    + report.failed().keySet().iterator().next() + "); the rest were");
        }
    }
}
