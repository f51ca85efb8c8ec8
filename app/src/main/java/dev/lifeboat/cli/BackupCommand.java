package dev.lifeboat.cli;

import dev.lifeboat.backup.BackupJob;
import dev.lifeboat.backup.BackupReport;
import dev.lifeboat.backup.BackupRequest;
import dev.lifeboat.backup.BackupSettings;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.files.FilesBackupJob;
import dev.lifeboat.files.FilesBackupReport;
import dev.lifeboat.files.FilesRequest;
import dev.lifeboat.files.FilesSettings;
import dev.lifeboat.json.Json;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.pg.ChildPipes;
import dev.lifeboat.pg.DumpFilter;
import dev.lifeboat.store.LocalStore;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dump the database (pg_dump -Fc in one snapshot, exact row counts), compress, encrypt",
                "and upload it with the roles and tablespaces, then write the manifest that marks it complete.",
                "",
                "Environment: DATABASE_URL (or PG*), BACKUP_S3_* or BACKUP_DIR, BACKUP_SOURCE_NAME,",
                "BACKUP_ENCRYPTION, BACKUP_GPG_RECIPIENT, BACKUP_GPG_PUBLIC_KEY, BACKUP_GPG_PASSPHRASE(_FILE),",
                "BACKUP_GPG_SIGNING_KEY, BACKUP_COMPRESSION, BACKUP_COMPRESSION_LEVEL, PG_BIN_DIR; see README.",
                "",
                "backup --files [PATH...] archives files and directories (tar: modes, owners, mtimes, symlinks) the same",
                "way into files/<source>/...; paths default to BACKUP_FILES_PATHS (comma-separated)."})
public final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Option(names = "--tag", paramLabel = "NAME", description = "Name this backup (pre-deploy, pre-migration, ...).")
    String tag;

    @Option(names = "--table", paramLabel = "PATTERN", description = "Dump only matching tables (pg_dump --table); repeatable.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--exclude-table", paramLabel = "PATTERN", description = "Leave matching tables out (pg_dump --exclude-table).")
    List<String> excludeTables = new ArrayList<>();

    @Option(names = "--exclude-table-data", paramLabel = "PATTERN", description = "Keep matching tables' definitions, not their rows.")
    List<String> excludeTableData = new ArrayList<>();

    @Option(names = "--schema", paramLabel = "PATTERN", description = "Dump only matching schemas (pg_dump --schema).")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--exclude-schema", paramLabel = "PATTERN", description = "Leave matching schemas out.")
    List<String> excludeSchemas = new ArrayList<>();

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Option(names = "--files", description = "Archive files and directories (PATH..., else BACKUP_FILES_PATHS) instead of the database.")
    boolean files;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "With --files: the files and directories to archive.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "With --files: leave out paths matching GLOB (relative to each PATH); repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--strict", description = "With --files: fail (store nothing) when a file changes while it is read.")
    boolean strict;

    @Option(names = "--to-dir", paramLabel = "DIR", description = "With --files: write to this local directory store instead of BACKUP_S3_*/BACKUP_DIR.")
    Path toDir;

    @Override
    public Integer call() throws Exception {
        Env env = root.env();
        if (files) return backupFiles(env);
        if (!paths.isEmpty() || !excludes.isEmpty() || strict || toDir != null) {
            throw LifeboatException.config("PATH, --exclude, --strict and --to-dir go with --files");
        }
        ChildPipes.prepare();
        DumpFilter filter = new DumpFilter(tables, excludeTables, excludeTableData, schemas, excludeSchemas);
        BackupRequest request = BackupSettings.fromEnv(env, tag, filter);
        try (ObjectStore store = ObjectStores.fromEnv(env)) {
            BackupReport report = Operations.of(env, root.clock(), root.err()).run("backup", request.source(),
                    LockSpec.backup(request.source()), ctx -> new BackupJob(env, store, root.clock()).run(request, ctx));
            LoggerFactory.getLogger("backup").info("backup {} done: {} MB dumped, {} MB stored, {} tables, {} s ({} MB/s)",
                    report.key(), mb(report.dumpBytes()), mb(report.storedBytes()), report.tables(),
                    String.format("%.1f", report.durationSeconds()), String.format("%.1f", report.megabytesPerSecond()));
            if (json) root.out().println(Json.string(report));
        }
        return 0;
    }

    /** {@code backup --files}: the files job, its own lock, optionally its own local store. */
    private int backupFiles(Env env) throws Exception {
        if (!tables.isEmpty() || !excludeTables.isEmpty() || !excludeTableData.isEmpty() || !schemas.isEmpty() || !excludeSchemas.isEmpty()) {
            throw LifeboatException.config("--table, --exclude-table(-data), --schema and --exclude-schema do not go with --files");
        }
        FilesRequest request = FilesSettings.fromEnv(env, paths, excludes, tag, strict);
        LockSpec locks = LockSpec.of("files-" + request.source(), LockSpec.Mode.EXCLUSIVE).and("store-" + request.source(), LockSpec.Mode.SHARED);
        try (ObjectStore store = toDir == null ? ObjectStores.fromEnv(env) : new LocalStore(toDir)) {
            FilesBackupReport report = Operations.of(env, root.clock(), root.err()).run("backup-files", request.source(), locks,
                    ctx -> new FilesBackupJob(store, root.clock()).run(request, ctx));
            LoggerFactory.getLogger("backup").info("files backup {} done: {} files, {} directories, {} symlinks, {} MB read, {} MB stored in {}, {} s{}",
                    report.key(), report.files(), report.directories(), report.symlinks(), mb(report.fileBytes()),
                    mb(report.storedBytes()), report.store(), String.format("%.1f", report.durationSeconds()),
                    report.changedWhileRead().isEmpty() ? "" : "; " + report.changedWhileRead().size() + " changed while read (see the manifest)");
            if (json) root.out().println(Json.string(report));
        }
        return 0;
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / 1e6);
    }
}
