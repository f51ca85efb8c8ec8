package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.json.Json;
import dev.lifeboat.mirror.MinioBucket;
import dev.lifeboat.mirror.MinioSettings;
import dev.lifeboat.mirror.MirrorJob;
import dev.lifeboat.mirror.MirrorReport;
import dev.lifeboat.mirror.MirrorRequest;
import dev.lifeboat.mirror.MirrorSettings;
import dev.lifeboat.mirror.ReverseJob;
import dev.lifeboat.ops.LockSpec;
import dev.lifeboat.ops.Operations;
import dev.lifeboat.ops.ProgressStore;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "mirror", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy the live MinIO bucket into minio/<bucket>/ of the backup store, by content (size and",
                "source ETag, kept in minio-index/<bucket>.json.gz); a changed or removed copy is first moved",
                "under minio-replaced/<bucket>/<date>/. --reverse copies the backup back into the live bucket.",
                "",
                "Environment: MINIO_ENDPOINT, MINIO_PORT, MINIO_USE_SSL, MINIO_ACCESS_KEY(_FILE),",
                "MINIO_SECRET_KEY(_FILE), MINIO_BUCKET, MINIO_REGION, MIRROR_WORKERS, MIRROR_EXCLUDE, MIRROR_LIST_THREADS,",
                "BACKUP_S3_* or BACKUP_DIR; see README.",
                "",
                "Exit 1: --remove refused (--max-delete exceeded), or --reverse left differing objects.",
                "Exit 3: some objects failed (each is named); the others were copied."})
public final class MirrorCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Option(names = "--dry-run", description = "Show what would be copied, replaced and removed; change nothing.")
    boolean dryRun;

    @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
    String prefix;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave keys matching GLOB alone (e.g. 'tmp/**'); repeatable; adds to MIRROR_EXCLUDE.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--remove", description = "Move copies whose live object is gone under minio-replaced/ (not when the live listing is empty or anything failed).")
    boolean remove;

    @Option(names = "--max-delete", paramLabel = "N", description = "With --remove: remove nothing (exit 1) when more than N copies would go (default 1000).")
    Integer maxDelete;

    @Option(names = "--workers", paramLabel = "N", description = "Copies at once (env: MIRROR_WORKERS, default 8).")
    Integer workers;

    @Option(names = "--reverse", description = "Copy the backup into the live bucket: missing objects are restored.")
    boolean reverse;

    @Option(names = "--overwrite", description = "With --reverse: also replace live objects that differ from their copy.")
    boolean overwrite;

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Env env = root.env();
        MirrorRequest request = MirrorSettings.fromEnv(env, prefix, excludes, remove, maxDelete, dryRun, workers, reverse, overwrite);
        MinioSettings minio = MinioSettings.fromEnv(env);
        String command = reverse ? "mirror-reverse" : "mirror";
        return Operations.of(env, root.clock(), root.err()).run(command, minio.bucket(), LockSpec.mirror(minio.bucket()), ctx -> {
            MirrorReport report;
            try (ObjectStore store = ObjectStores.fromEnv(env); MinioBucket live = new MinioBucket(minio)) {
                try (ProgressStore tracked = ProgressStore.wrap(store, ctx, reverse ? "copy back" : "copy")) {
                    report = reverse ? new ReverseJob(tracked, live, root.clock()).run(request) : new MirrorJob(tracked, live, root.clock()).run(request);
                }
            }
            ctx.bytes(report.bytes());
            ctx.objects(report.copied() + report.removed());
            if (json) root.out().println(root.redact(Json.string(report)));
            else if (dryRun) printPlan(report);
            exitFor(report);
            return 0;
        });
    }

    /** Exit 3 when any object failed, else exit 1 when --remove was refused or --reverse left differing objects. */
    private static void exitFor(MirrorReport report) {
        if (!report.failed().isEmpty()) {
            MirrorReport.Failed first = report.failed().get(0);
            throw LifeboatException.failed(report.failed().size() + " object(s) failed, first " + first.key() + ": " + first.reason()
                    + " (every failed key is logged above; the next run retries them)");
        }
        if (report.removalRefused() != null) {
            throw LifeboatException.checkFailed("--remove " + (report.dryRun() ? "would remove" : "removed") + " nothing: " + report.removalRefused());
        }
        if (!report.differing().isEmpty()) {
            throw LifeboatException.checkFailed(report.differing().size()
                    + " live object(s) differ from their copy and were left as they are; rerun with --overwrite to replace them");
        }
    }

    private void printPlan(MirrorReport report) {
        report.wouldCopy().forEach(k -> root.out().println((reverse ? "restore " : "copy ") + k));
        report.wouldReplace().forEach(k -> root.out().println("replace " + k));
        report.wouldRemove().forEach(k -> root.out().println("remove " + k));
        report.differing().forEach(k -> root.out().println("differs " + k));
    }
}
