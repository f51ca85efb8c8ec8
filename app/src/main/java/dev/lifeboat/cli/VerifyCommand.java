package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.ops.Gauge;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.ops.ProgressStore;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import dev.lifeboat.verify.VerifyJob;
import dev.lifeboat.verify.VerifyLevel;
import dev.lifeboat.verify.VerifyReport;
import dev.lifeboat.verify.VerifyReportFormat;
import dev.lifeboat.verify.VerifyRequest;
import dev.lifeboat.verify.VerifySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check database backups in layers, streaming, without a temporary copy.",
                "quick: manifest, stored size, SHA-256, the globals object, critical tables in the manifest, shrink, age"
                        + " (no key needed).",
                "full: also decrypt (OpenPGP integrity, and the signature when BACKUP_GPG_TRUSTED_SIGNERS is set),"
                        + " decompress to the manifest's size, read every archive block, compare every table's rows"
                        + " with the manifest; a pass writes <stem>.verified.json.",
                "Default level: full when BACKUP_GPG_SECRET_KEY or BACKUP_GPG_PASSPHRASE is set, else quick."
                        + " Without KEY, --latest, or --all: the newest complete backup.",
                "",
                "--files: files backups; quick checks manifest, size and SHA-256 of the tar object, full also decodes"
                        + " it and checks every entry's size and SHA-256 against the manifest's entry list.",
                "",
                "Environment: BACKUP_S3_* or BACKUP_DIR, BACKUP_SOURCE_NAME, BACKUP_GPG_SECRET_KEY,"
                        + " BACKUP_GPG_SECRET_KEY_PASSPHRASE, BACKUP_GPG_PASSPHRASE, BACKUP_GPG_TRUSTED_SIGNERS,"
                        + " BACKUP_MAX_AGE (2h), BACKUP_CRITICAL_TABLES (schema.table or table, comma-separated)."})
public final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY",
            description = "The backup: its stem (pg/app/2026-11-20/140000) or any of its object keys.")
    String key;

    @Option(names = "--latest", description = "The newest complete backup of the source (the default).")
    boolean latest;

    @Option(names = "--all", description = "Every complete backup of the source (exit 1 if any failed).")
    boolean all;

    @Option(names = "--level", paramLabel = "quick|full", description = "How deep to check (default: see above).")
    VerifyLevel level;

    @Option(names = "--max-shrink", paramLabel = "PCT",
            description = "Fail when the dump is more than PCT percent smaller than the previous backup's (e.g. 50%%);"
                    + " without it, more than 50%% smaller is a warning.")
    String maxShrink;

    @Option(names = "--json", description = "Print the per-layer report as one JSON document on stdout.")
    boolean json;

    @Option(names = "--source", paramLabel = "NAME", description = "The <source> of the object keys (env: BACKUP_SOURCE_NAME).")
    String source;

    @Option(names = "--files", description = "Files backups (files/<source>/...) instead of database backups; a KEY names its own kind.")
    boolean files;

    @Override
    public Integer call() throws Exception {
        if ((key != null ? 1 : 0) + (latest ? 1 : 0) + (all ? 1 : 0) > 1) {
            throw LifeboatException.config("verify: give one of KEY, --latest, --all");
        }
        Env env = root.env();
        VerifyRequest.Selection selection = key != null ? VerifyRequest.Selection.KEY
                : all ? VerifyRequest.Selection.ALL : VerifyRequest.Selection.LATEST;
        String name = key != null ? null : source != null ? BackupKey.requireSource("--source", source) : SourceName.fromEnv(env);
        VerifySettings settings = VerifySettings.fromEnv(env);
        DecryptionConfig decryption = level == VerifyLevel.QUICK ? null : DecryptionConfig.fromEnv(env);
        VerifyRequest request = new VerifyRequest(name, selection, key, level, percent(maxShrink), root.clock().instant(),
                files ? BackupKey.FILES : BackupKey.PG);
        String lockSource = key != null ? VerifyJob.keyOf(key).source() : name;
        try (ObjectStore store = ObjectStores.fromEnv(env)) {
            Operations.of(env, root.clock(), root.err()).run("verify", lockSource, LockSpec.reader(lockSource), ctx -> {
                VerifyReport report;
                try (ProgressStore tracked = ProgressStore.wrap(store, ctx, "read")) {
                    report = new VerifyJob(tracked, settings, decryption, VerifyJob.SharedHold.NO_LOCK).run(request);
                }
                if (report.backups().size() == 1) ctx.key(report.backups().get(0).key());
                ctx.objects(report.backups().size());
                if (report.newestAgeSeconds() != null) ctx.gauge(Gauge.BACKUP_AGE_SECONDS, report.newestAgeSeconds());
                if (json) root.out().println(VerifyReportFormat.json(report));
                else VerifyReportFormat.text(report, root.out());
                report.failureMessage().ifPresent(m -> {
                    throw LifeboatException.checkFailed(m);
                });
                return report;
            });
        }
        return 0;
    }

    /** "50%" or "50": a percentage above 0 and at most 100. */
    static Double percent(String value) {
        if (value == null) return null;
        String v = value.trim().endsWith("%") ? value.trim().substring(0, value.trim().length() - 1) : value.trim();
        try {
            double p = Double.parseDouble(v);
            if (p > 0 && p <= 100) return p;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw LifeboatException.config("--max-shrink=" + value + " is not a percentage (expected more than 0 and at most 100, e.g. 50%)");
    }
}
