package dev.lifeboat.cli;

import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.inspect.ListFormat;
import dev.lifeboat.inspect.ListJob;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The complete backups of the source, newest last: key, time, tag, stored size, encryption,",
                "table count, whether verified. Reads one manifest per backup shown.",
                "",
                "Environment: BACKUP_S3_* or BACKUP_DIR, BACKUP_SOURCE_NAME (else the database of DATABASE_URL)."})
public final class ListCommand implements Callable<Integer> {
    enum Kind { pg, files, all }

    @ParentCommand
    LifeboatCommand root;

    @Option(names = "--all", description = "Also show incomplete backups (no manifest), marked INCOMPLETE.")
    boolean all;

    @Option(names = "--kind", paramLabel = "pg|files|all", description = "Which backups (default: pg).")
    Kind kind = Kind.pg;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N (default: all).")
    int limit;

    @Option(names = "--json", description = "Print the list as one JSON document on stdout.")
    boolean json;

    @Option(names = "--source", paramLabel = "NAME", description = "The <source> of the object keys (env: BACKUP_SOURCE_NAME).")
    String source;

    @Override
    public Integer call() throws IOException {
        if (limit < 0) throw dev.lifeboat.LifeboatException.config("--limit=" + limit + " must be 0 (all) or more");
        Env env = root.env();
        String name = source != null ? BackupKey.requireSource("--source", source) : SourceName.fromEnv(env);
        List<String> kinds = kind == Kind.all ? List.of(BackupKey.PG, BackupKey.FILES) : List.of(kind.name());
        ListJob.Report report;
        try (ObjectStore store = ObjectStores.fromEnv(env)) {
            report = new ListJob(store).run(new ListJob.Request(name, kinds, all, limit));
        }
        if (json) root.out().println(ListFormat.json(report));
        else ListFormat.table(report, root.out());
        return 0;
    }
}
