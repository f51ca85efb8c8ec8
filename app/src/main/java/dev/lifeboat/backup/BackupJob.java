package dev.lifeboat.backup;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.config.Env;
import dev.lifeboat.ops.PgAdvisoryLock;
import dev.lifeboat.ops.RunContext;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.pg.ServerInfo;
import dev.lifeboat.pg.Snapshot;
import dev.lifeboat.pg.TableCount;
import dev.lifeboat.pg.TableRef;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One database backup, in the order DESIGN.md gives: snapshot (and counts), pg_dump streamed
 * through compression and OpenPGP into the store, the globals object, then the manifest.
 *
 * <p>Row counts ({@code BACKUP_ROW_COUNTS}): by default they are counted from the COPY data as
 * it streams into the store (exactly what the dump holds, without a second scan of every
 * table); a table the archive carries no data block for is counted in the snapshot instead.
 * {@code snapshot} counts every table with {@code count(*)} in the dump's snapshot first. The
 * globals (pg_dumpall, not part of the snapshot) are dumped while pg_dump runs, and stored after
 * the dump is committed, so a run that fails or is stopped before that leaves no object at all.
 */
public final class BackupJob {
    private static final Logger LOG = LoggerFactory.getLogger("backup");
    private final Env env;
    private final ObjectStore store;
    private final Clock clock;

    public BackupJob(Env env, ObjectStore store, Clock clock) {
        this.env = env;
        this.store = store;
        this.clock = clock;
    }

    public BackupReport run(BackupRequest req, RunContext ctx) throws IOException, InterruptedException {
        Instant started = clock.instant();
        boolean copyStream = BackupRequest.COPY_STREAM.equals(req.rowCounts());
        try (Snapshot snap = Snapshot.take(req.database(), req.filter(), !copyStream);
             PgAdvisoryLock across = PgAdvisoryLock.acquire(snap.connection(), req.source())) {
            ServerInfo server = snap.server();
            PgBinaries bins = PgBinaries.forServer(env, server.version());
            Instant snapshotTime = clock.instant();
            String stem = BackupKey.of(BackupKey.PG, req.source(), snapshotTime, req.tag()).stem();
            String suffix = req.compression().suffix + (req.encryptor() == null ? "" : ".gpg");
            String manifestKey = stem + ".manifest.json";
            // pg_dump starts first and reads its catalogs meanwhile: the name is checked (the
            // store's first request) before anything is streamed or created. pg_dumpall starts
            // then too; its few kilobytes wait in its pipe and are stored after the dump.
            AtomicReference<PgChild> globalsChild = new AtomicReference<>();
            try {
                ChildUpload.Result dump = upload(bins, dumpArgs(req, snap), stem + ".dump" + suffix, () -> {
                    if (store.stat(manifestKey).isPresent()) {
                        throw LifeboatException.failed("a backup named " + stem + " already exists; not overwriting it");
                    }
                    LOG.info("backup of {} started: {} tables, snapshot {}, pg_dump {} from {}", req.database(),
                            snap.dataTables().size(), snap.snapshotId(), bins.version(), bins.dir());
                    globalsChild.set(PgChild.start(bins.pgDumpAll(), globalsArgs(req, false), childEnv(req)));
                    warmUpManifest();
                    return databaseSize(snap);
                }, req, true, copyStream, ctx);
                List<TableCount> counts = copyStream ? streamCounts(snap, dump.contents()) : snap.counts();
                across.close();
                snap.close();
                ctx.throwIfCancelled();
                ChildUpload.Result globals = dumpGlobals(bins, req, stem + ".globals.sql" + suffix, globalsChild.get(), ctx);
                return finish(req, snap, counts, bins, started, snapshotTime, stem, manifestKey, dump, globals, ctx);
            } finally {
                PgChild g = globalsChild.get();
                if (g != null) g.close(); // stops it when the run failed first; nothing when it was read
            }
        } catch (FileAlreadyExistsException e) {
            throw LifeboatException.failed("object " + e.getFile() + " already exists; not overwriting it", e);
        }
    }

    /** Readies the manifest's JSON writer on a thread of its own, so the end of the run does not wait for it. */
    private static void warmUpManifest() {
        Thread t = new Thread(() -> {
            try {
                Manifest.warmUp();
            } catch (RuntimeException ignored) {
                // only a head start: the real manifest is written (and fails, if it must) as always
            }
        }, "lifeboat-manifest-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The manifest, written last, and the run's report. */
    private BackupReport finish(BackupRequest req, Snapshot snap, List<TableCount> counts, PgBinaries bins, Instant started,
                                Instant snapshotTime, String stem, String manifestKey, ChildUpload.Result dump,
                                ChildUpload.Result globals, RunContext ctx) throws IOException {
        Instant finished = clock.instant();
        Manifest manifest = manifest(req, snap, counts, bins, started, finished, snapshotTime, dump, globals);
        ctx.throwIfCancelled();
        store.put(manifestKey, manifest.toJson(), Map.of(ObjectStore.VERSION_METADATA, Version.get()));
        ctx.key(stem);
        ctx.bytes(dump.stored().size());
        ctx.objects(3);
        double seconds = Duration.between(started, finished).toMillis() / 1000.0;
        long rows = counts.stream().mapToLong(TableCount::rows).sum();
        return new BackupReport("ok", req.source(), dump.stored().key(), manifestKey, globals.stored().key(),
                dump.plainBytes(), dump.stored().size(), dump.sha256(), counts.size(), rows, seconds,
                seconds <= 0 ? 0 : dump.plainBytes() / 1e6 / seconds);
    }

    /** What runs once the child has started and before its output is streamed: checks, and the size hint. */
    @FunctionalInterface
    private interface BeforeStream {
        long sizeHint() throws IOException;
    }

    private ChildUpload.Result upload(PgBinaries bins, List<String> args, String key, BeforeStream before, BackupRequest req,
                                      boolean archive, boolean readArchive, RunContext ctx) throws IOException, InterruptedException {
        PgChild child = PgChild.start(archive ? bins.pgDump() : bins.pgDumpAll(), args, childEnv(req));
        long sizeHint;
        try {
            sizeHint = before.sizeHint();
        } catch (IOException | RuntimeException e) {
            child.close();
            throw e;
        }
        return ChildUpload.run(child, store, key, sizeHint, req, archive, readArchive, ctx);
    }

    /**
     * Each data table's rows as the archive's COPY data holds them; a table without a data
     * block in the archive (none is expected) is counted in the still-open snapshot.
     */
    private static List<TableCount> streamCounts(Snapshot snap, ArchiveContents contents) throws IOException {
        if (contents.compressed()) {
            throw LifeboatException.failed("pg_dump compressed its data blocks; lifeboat cannot count rows in them");
        }
        List<TableCount> counts = new ArrayList<>();
        List<TableRef> missing = new ArrayList<>();
        for (TableRef t : snap.dataTables()) {
            long rows = contents.rowsOf(t.schema(), t.name());
            if (rows < 0) missing.add(t);
            else counts.add(new TableCount(t.schema(), t.name(), rows));
        }
        if (!missing.isEmpty()) {
            LOG.warn("the archive has no data block for {}; counting them in the snapshot", missing);
            try {
                counts.addAll(snap.count(missing));
            } catch (SQLException e) {
                throw LifeboatException.failed("counting " + missing + " in the snapshot failed: " + e.getMessage(), e);
            }
            counts.sort(java.util.Comparator.comparing(TableCount::schema).thenComparing(TableCount::name));
        }
        return counts;
    }

    private Map<String, String> childEnv(BackupRequest req) {
        Map<String, String> e = new java.util.LinkedHashMap<>(req.database().childEnv());
        e.putAll(req.pgEnvExtra());
        return e;
    }

    private static List<String> dumpArgs(BackupRequest req, Snapshot snap) {
        List<String> args = new ArrayList<>(List.of("--format=custom", "--compress=0", "--no-password",
                "--snapshot=" + snap.snapshotId()));
        args.addAll(req.filter().pgDumpArgs());
        return args;
    }

    private static List<String> globalsArgs(BackupRequest req, boolean withoutRolePasswords) {
        List<String> args = new ArrayList<>(List.of("--globals-only", "--no-password", "--database=" + req.database().database()));
        if (withoutRolePasswords) args.add("--no-role-passwords");
        return args;
    }

    /**
     * Roles and tablespaces, from the pg_dumpall started beside pg_dump; a role that may not
     * read pg_authid gets them without passwords (a second pg_dumpall, now).
     */
    private ChildUpload.Result dumpGlobals(PgBinaries bins, BackupRequest req, String key, PgChild started, RunContext ctx)
            throws IOException, InterruptedException {
        try {
            return ChildUpload.run(started, store, key, 1 << 20, req, false, false, ctx);
        } catch (LifeboatException e) {
            if (!String.valueOf(e.getMessage()).contains("permission denied")) throw e;
            LOG.warn("pg_dumpall may not read role passwords as {}; storing the globals without them", req.database().user());
            return upload(bins, globalsArgs(req, true), key, () -> 1 << 20, req, false, false, ctx);
        }
    }

    private static long databaseSize(Snapshot snap) {
        try {
            return Databases.longQuery(snap.connection(), "SELECT pg_database_size(current_database())");
        } catch (SQLException e) {
            return -1;
        }
    }

    private Manifest manifest(BackupRequest req, Snapshot snap, List<TableCount> counts, PgBinaries bins, Instant started, Instant finished,
                              Instant snapshotTime, ChildUpload.Result dump, ChildUpload.Result globals) {
        ServerInfo s = snap.server();
        return new Manifest(Manifest.FORMAT, "pg", req.source(), req.tag(),
                new Manifest.StoredObject(dump.stored().key(), dump.stored().size(), dump.sha256(), dump.plainBytes(), null),
                new Manifest.StoredObject(globals.stored().key(), globals.stored().size(), globals.sha256(), globals.plainBytes(), null),
                started.toString(), finished.toString(), snapshotTime.toString(),
                Duration.between(started, finished).toMillis() / 1000.0,
                req.database().host(), s.database(), s.version().text(), bins.version().text(), dump.archiveVersion(),
                s.encoding(), s.collate(), s.ctype(),
                new Manifest.Compressed(req.compression().name().toLowerCase(), req.level()),
                new Manifest.Encrypted(req.encryptionMode(), req.recipients()), req.signer(),
                dump.plainBytes(), dump.stored().size(), dump.sha256(), snap.largeObjects(), req.rowCounts(),
                counts.stream().map(t -> new Manifest.TableEntry(t.schema(), t.name(), t.rows())).toList(),
                snap.leftOut().stream().map(t -> new Manifest.TableName(t.schema(), t.name())).toList(),
                new Manifest.Filters(req.filter().tables(), req.filter().excludeTables(), req.filter().excludeTableData(),
                        req.filter().schemas(), req.filter().excludeSchemas()),
                Version.get());
    }
}
