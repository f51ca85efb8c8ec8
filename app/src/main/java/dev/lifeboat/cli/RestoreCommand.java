package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.BackupJob;
import dev.lifeboat.backup.BackupSettings;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Durations;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.files.FilesRestoreJob;
import dev.lifeboat.files.FilesRestoreReport;
import dev.lifeboat.files.FilesRestoreRequest;
import dev.lifeboat.json.Json;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.ops.ProgressStore;
import dev.lifeboat.ops.RunContext;
import dev.lifeboat.pg.DumpFilter;
import dev.lifeboat.restore.ChosenBackup;
import dev.lifeboat.restore.RestoreJob;
import dev.lifeboat.restore.RestoreReport;
import dev.lifeboat.restore.RestoreRequest;
import dev.lifeboat.restore.Selection;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restore a backup into DATABASE_URL (or --target-url): download, verify checksum and OpenPGP integrity,",
                "pg_restore into a side database, check every table's rows against the manifest, then swap it in",
                "in one transaction. The old database is kept as <db>_pre_restore_<ts>; any failure leaves it untouched.",
                "",
                "Environment: DATABASE_URL, BACKUP_S3_* or BACKUP_DIR, BACKUP_SOURCE_NAME, BACKUP_GPG_SECRET_KEY,",
                "BACKUP_GPG_SECRET_KEY_PASSPHRASE, BACKUP_GPG_PASSPHRASE, BACKUP_GPG_TRUSTED_SIGNERS, BACKUP_ENVIRONMENT,",
                "CONFIRM_RESTORE_IN_PROD; see README.",
                "",
                "restore --files [KEY | --latest] --to DIR extracts a files backup into a new or empty DIR, checking",
                "every file's size and SHA-256 against the manifest; refuses absolute paths, '..' and paths through symlinks."})
public final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Parameters(arity = "0..1", paramLabel = "KEY", description = "The backup (pg/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>] or any of its object keys).")
    String key;

    @Option(names = "--latest", description = "The newest complete backup that has no tag (safety backups are tagged).")
    boolean latest;

    @Option(names = "--at", paramLabel = "TIME", description = "The newest backup taken at or before TIME (ISO 8601, UTC unless an offset is given).")
    String at;

    @Option(names = "--target-url", paramLabel = "URL", description = "Restore into this database instead of DATABASE_URL (no password in it).")
    String targetUrl;

    @Option(names = "--confirm", paramLabel = "DBNAME", description = "The target database's name; required when not on a terminal.")
    String confirm;

    @Option(names = "--no-safety-backup", description = "Skip the backup of the current target (tag pre-restore) taken first.")
    boolean noSafetyBackup;

    @Option(names = "--with-globals", description = "Create missing roles and tablespaces from the backup's globals first.")
    boolean withGlobals;

    @Option(names = "--no-owner", description = "Do not restore owners (pg_restore --no-owner).")
    boolean noOwner;

    @Option(names = "--table", paramLabel = "TABLE", description = "Only this table (all its rows), into a new schema restore_<ts> of the target; repeatable.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--into", paramLabel = "NAME", description = "Restore into a new database NAME and stop (forensics).")
    String into;

    @picocli.CommandLine.Mixin
    LoadOptions load = new LoadOptions();

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Option(names = "--files", description = "Restore a files backup (files/<source>/...) into --to DIR instead of a database.")
    boolean files;

    @Option(names = "--to", paramLabel = "DIR", description = "With --files: extract into DIR, which must be new or empty.")
    Path to;

    @Option(names = "--overwrite", description = "With --files: write into a non-empty DIR, replacing files the backup holds.")
    boolean overwrite;

    @Option(names = "--from-dir", paramLabel = "DIR", description = "With --files: read from this local directory store (what backup --files --to-dir wrote).")
    Path fromDir;

    @Override
    public Integer call() throws Exception {
        Env env = root.env();
        Selection selection = Selections.of(key, latest, at);
        if (files) return restoreFiles(env, selection);
        if (to != null || overwrite || fromDir != null) throw LifeboatException.config("--to, --overwrite and --from-dir go with --files");
        DatabaseUrl target = Targets.database(env, "--target-url", targetUrl);
        String source = SourceName.fromEnv(env);
        try (ObjectStores.Opening opening = ObjectStores.open(env)) {
            return restoreDatabase(env, target, source, selection, opening);
        }
    }

    private int restoreDatabase(Env env, DatabaseUrl target, String source, Selection selection, ObjectStores.Opening opening)
            throws Exception {
        DecryptionConfig dec = DecryptionConfig.fromEnv(env); // the keys, while the store's client is built
        Decryptor decryptor = dec.canDecrypt() || dec.requiresSignature() ? dec : null;
        boolean production = env.get("BACKUP_ENVIRONMENT").map("production"::equalsIgnoreCase).orElse(false);
        boolean confirmedInProd = env.bool("CONFIRM_RESTORE_IN_PROD", false);
        Operations ops = Operations.of(env, root.clock(), root.err());
        ops.checkSettings("restore"); // every setting refused before the backup's age is shown
        try (ObjectStore store = opening.get()) {
            ChosenBackup chosen = ChosenBackup.resolve(store, source, selection);
            long minutes = chosen.age(root.clock().instant()).toMinutes();
            root.err().printf("backup %s: taken %s (%s ago), %d tables, %.1f MB dumped%n", chosen.stem(), chosen.manifest().snapshotTime(),
                    minutes == 0 ? "under a minute" : Durations.format(java.time.Duration.ofMinutes(minutes)),
                    chosen.manifest().tables().size(), chosen.manifest().dumpBytes() / 1e6);
            boolean touchesTarget = into == null && !dryRun;
            if (touchesTarget) {
                if (production && !confirmedInProd) {
                    throw LifeboatException.config("BACKUP_ENVIRONMENT=production: a restore also needs CONFIRM_RESTORE_IN_PROD=true");
                }
                confirm(target.database());
            }
            RestoreRequest request = new RestoreRequest(target, source, new Selection(chosen.stem(), false, null), decryptor,
                    touchesTarget, !noSafetyBackup, withGlobals, noOwner, tables, into, dryRun, load.parallelism());
            LockSpec locks = LockSpec.reader(source).and("restore-" + target.database(), LockSpec.Mode.EXCLUSIVE);
            RestoreReport report = ops.run("restore", source, locks, ctx -> {
                ctx.key(chosen.stem());
                try (ProgressStore tracked = ProgressStore.wrap(store, ctx, "download")) {
                    return new RestoreJob(env, tracked, root.clock(), db -> safetyBackup(env, store, db, source, ctx)).run(request, ctx);
                }
            });
            if (json) root.out().println(Json.string(report));
            else print(report);
        }
        return 0;
    }

    /** {@code restore --files}: no database, no confirmation (the target directory must be new or empty). */
    private int restoreFiles(Env env, Selection selection) throws Exception {
        if (to == null) throw LifeboatException.config("restore --files needs --to DIR (a new or empty directory)");
        if (targetUrl != null || confirm != null || into != null || !tables.isEmpty() || withGlobals || noOwner || noSafetyBackup || dryRun) {
            throw LifeboatException.config("--target-url, --confirm, --into, --table, --with-globals, --no-owner, --no-safety-backup"
                    + " and --dry-run are for database restores, not --files");
        }
        var parsed = key == null ? java.util.Optional.<BackupKey>empty()
                : BackupKey.parse(key).or(() -> BackupKey.parse(key + BackupKey.MANIFEST_SUFFIX));
        String source = parsed.isPresent() ? parsed.get().source() : SourceName.fromEnv(env);
        DecryptionConfig dec = DecryptionConfig.fromEnv(env);
        FilesRestoreRequest request = new FilesRestoreRequest(source, selection, to, overwrite, dec.canDecrypt() || dec.requiresSignature() ? dec : null);
        if (fromDir != null && !java.nio.file.Files.isDirectory(fromDir)) throw LifeboatException.config("--from-dir " + fromDir + " is not a directory");
        try (ObjectStore store = fromDir == null ? ObjectStores.fromEnv(env) : new dev.lifeboat.store.LocalStore(fromDir)) {
            FilesRestoreReport r = Operations.of(env, root.clock(), root.err()).run("restore-files", source, LockSpec.reader(source), ctx -> {
                FilesRestoreReport report;
                try (ProgressStore tracked = ProgressStore.wrap(store, ctx, "download")) {
                    report = new FilesRestoreJob(tracked, root.clock()).run(request);
                }
                ctx.key(report.backup());
                return report;
            });
            if (json) {
                root.out().println(Json.string(r));
            } else {
                root.out().printf("restored %s into %s: %d files (%.1f MB), %d directories, %d symlinks in %.1f s%n", r.backup(), r.into(),
                        r.files(), r.fileBytes() / 1e6, r.directories(), r.symlinks(), r.durationSeconds());
                r.checks().forEach(c -> root.out().println("  ok  " + c));
                if (!r.changedWhileRead().isEmpty()) {
                    root.out().println("  warning: " + r.changedWhileRead().size() + " file(s) changed while the backup read them:");
                    r.changedWhileRead().forEach(c -> root.out().println("    " + c.path() + ": " + c.what()));
                }
            }
        }
        return 0;
    }

    private void confirm(String database) {
        if (confirm != null) {
            if (!confirm.equals(database)) {
                throw LifeboatException.config("--confirm=" + confirm + " does not match the target database " + database);
            }
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw LifeboatException.config("restore replaces database " + database + ": confirm with --confirm=" + database
                    + " (required when not on a terminal)");
        }
        String typed = console.readLine("This replaces database %s. Type its name to go on: ", database);
        if (typed == null || !typed.strip().equals(database)) {
            throw LifeboatException.config("confirmation did not match " + database + "; nothing was changed");
        }
    }

    private String safetyBackup(Env env, ObjectStore store, DatabaseUrl db, String source, RunContext ctx)
            throws java.io.IOException, InterruptedException {
        var req = BackupSettings.forDatabase(env, db, source, "pre-restore", DumpFilter.NONE);
        return new BackupJob(env, store, root.clock()).run(req, ctx).key();
    }

    private void print(RestoreReport r) {
        var out = root.out();
        if ("dry-run".equals(r.status())) {
            out.println("restore plan (nothing changed):");
            r.plan().forEach(line -> out.println("  " + line));
            return;
        }
        out.println("restored " + r.backup() + " into " + r.restoredInto() + " in " + String.format("%.1f", r.durationSeconds()) + " s");
        r.checks().forEach(c -> out.println("  ok  " + c));
        if (r.safetyBackup() != null) out.println("  safety backup of the old database: " + r.safetyBackup());
        if (r.preRestoreDatabase() != null) out.println("  the old database is kept as " + r.preRestoreDatabase());
        if (r.rollback() != null) out.println("  to roll back: " + r.rollback());
    }
}
