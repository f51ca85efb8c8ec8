package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.drill.DrillJob;
import dev.lifeboat.drill.DrillReport;
import dev.lifeboat.drill.DrillRequest;
import dev.lifeboat.json.Json;
import dev.lifeboat.mirror.CompareReport;
import dev.lifeboat.mirror.MirrorCompare;
import dev.lifeboat.ops.Gauge;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.ops.ProgressStore;
import dev.lifeboat.restore.Selection;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "drill", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The weekly proof: restore the latest backup (or KEY) into a throwaway database lifeboat_drill_<ts>,",
                "compare every table's rows, the large objects, sequences and row-level security with the backup,",
                "run your checks, time it against BACKUP_RTO_TARGET, drop it, and keep the report under drill/.",
                "Never touches the live database.",
                "",
                "Environment: DATABASE_URL, DRILL_DATABASE_URL, BACKUP_RTO_TARGET, BACKUP_S3_* or BACKUP_DIR,",
                "BACKUP_GPG_SECRET_KEY, BACKUP_GPG_SECRET_KEY_PASSPHRASE, BACKUP_GPG_PASSPHRASE, BACKUP_GPG_TRUSTED_SIGNERS; see README."})
public final class DrillCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Parameters(arity = "0..1", paramLabel = "KEY", description = "The backup to drill (default: the latest untagged one).")
    String key;

    @Option(names = "--check-sql", paramLabel = "FILE", description = "Queries that must each return true on the restored database.")
    Path checkSql;

    @Option(names = "--strict", description = "Fail when a live table is in no backup (left out by a filter, or new).")
    boolean strict;

    @Option(names = "--keep", description = "Keep the throwaway database (drop it by hand).")
    boolean keep;

    @picocli.CommandLine.Mixin
    LoadOptions load = new LoadOptions();

    @Option(names = "--files", description = "Only compare the live MinIO bucket with its copy (MINIO_*), not the database.")
    boolean files;

    @Option(names = "--all", description = "Both: the database drill and the file bucket comparison (the weekly cron line).")
    boolean all;

    @Option(names = "--grace", paramLabel = "DURATION", description = "--files: ignore live objects changed this recently (default 2h).")
    String grace = "2h";

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Env env = root.env();
        if (files && all) throw LifeboatException.config("--files and --all: pick one (--all includes --files)");
        if (files) return filesDrill(env);
        if (!all) return databaseDrill(env);
        LifeboatException dbFailure = null;
        try {
            databaseDrill(env);
        } catch (LifeboatException e) {
            if (e.exitCode() != dev.lifeboat.ExitCode.CHECK_FAILED) throw e;
            dbFailure = e;
        }
        filesDrill(env);
        if (dbFailure != null) throw dbFailure;
        return 0;
    }

    /** drill --files: the live bucket against its copy, from the two listings and the index only. */
    private Integer filesDrill(Env env) throws Exception {
        java.time.Duration graceTime = dev.lifeboat.config.Durations.parse("--grace", grace);
        try (ObjectStore store = ObjectStores.fromEnv(env)) {
            String bucket = env.require("MINIO_BUCKET", "the live bucket's name");
            Operations.of(env, root.clock(), root.err()).run("drill-files", bucket, LockSpec.none(), ctx -> {
                CompareReport report = MirrorCompare.run(env, store, graceTime, root.clock());
                ctx.objects(report.liveObjects());
                ctx.gauge(Gauge.DRILL_DIFFERENCES, report.missing().size() + report.differing().size() + report.refused().size());
                if (json) root.out().println(Json.string(report));
                else root.out().println("drill --files: " + report.summary());
                if (!report.ok()) throw LifeboatException.checkFailed("drill --files: " + report.summary());
                return report;
            });
        }
        return 0;
    }

    private Integer databaseDrill(Env env) throws Exception {
        DatabaseUrl live = DatabaseUrl.fromEnv(env, "DATABASE_URL");
        DatabaseUrl server = env.isSet("DRILL_DATABASE_URL") ? DatabaseUrl.fromEnv(env, "DRILL_DATABASE_URL") : live;
        String source = SourceName.fromEnv(env);
        try (ObjectStores.Opening opening = ObjectStores.open(env)) {
            DecryptionConfig dec = DecryptionConfig.fromEnv(env); // the keys, while the store's client is built
            DrillRequest request = new DrillRequest(live, server, source,
                    key == null ? Selection.latestBackup() : new Selection(key, false, null),
                    dec.canDecrypt() || dec.requiresSignature() ? dec : null, env.duration("BACKUP_RTO_TARGET", "1h"), checkSql, strict, keep, load.parallelism());
            return databaseDrill(env, source, request, opening.get());
        }
    }

    private Integer databaseDrill(Env env, String source, DrillRequest request, ObjectStore opened) throws Exception {
        try (ObjectStore store = opened) {
            LockSpec locks = LockSpec.reader(source).and("drill-" + source, LockSpec.Mode.EXCLUSIVE);
            Operations.of(env, root.clock(), root.err()).run("drill", source, locks, ctx -> {
                DrillReport report;
                try (ProgressStore tracked = ProgressStore.wrap(store, ctx, "download")) {
                    report = new DrillJob(env, tracked, root.clock()).run(request);
                }
                ctx.key(report.backup());
                ctx.gauge(Gauge.DRILL_RESTORE_SECONDS, report.restoreSeconds());
                ctx.gauge(Gauge.DRILL_DIFFERENCES, report.differences().size());
                if (json) root.out().println(Json.string(report));
                else print(report);
                if (!report.passed()) {
                    throw LifeboatException.checkFailed("drill of " + report.backup() + " failed: " + reason(report));
                }
                return report;
            });
        }
        return 0;
    }

    private static String reason(DrillReport r) {
        if (!r.differences().isEmpty()) return r.differences().get(0) + (r.differences().size() > 1 ? " (and " + (r.differences().size() - 1) + " more)" : "");
        if (!r.failedChecks().isEmpty()) return "check " + r.failedChecks().get(0);
        if (!r.rtoMet()) return String.format("restore took %.0f s, over BACKUP_RTO_TARGET (%.0f s)", r.restoreSeconds(), r.rtoTargetSeconds());
        return "live tables in no backup: " + r.uncoveredTables();
    }

    private void print(DrillReport r) {
        var out = root.out();
        out.printf("drill %s: %s%n", r.backup(), r.status().toUpperCase());
        out.printf("  backup taken %s (%.1f h before the drill)%n", r.backupTime(), r.backupAgeHours());
        out.printf("  %d tables, %d rows, %d sequences compared: %d differences%n", r.tablesChecked(), r.rowsChecked(),
                r.sequencesChecked(), r.differences().size());
        r.differences().forEach(d -> out.println("  DIFF " + d));
        r.failedChecks().forEach(c -> out.println("  FAIL " + c));
        r.uncoveredTables().forEach(t -> out.println("  " + (strict ? "FAIL" : "warn") + " live table " + t + " is in no backup"));
        out.printf("  restore took %.1f s (RTO target %.0f s): %s%n", r.restoreSeconds(), r.rtoTargetSeconds(), r.rtoMet() ? "met" : "MISSED");
    }
}
