package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Durations;
import dev.lifeboat.config.Env;
import dev.lifeboat.ops.Cancellation;
import dev.lifeboat.ops.RunContext;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgVersion;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restore (DESIGN.md, safety rules): never destroys before it has a validated replacement.
 * Restores into a side database made from template0 with the source's encoding and collation,
 * proves checksum, OpenPGP integrity and row counts, then swaps in one transaction and keeps
 * the old database as {@code <db>_pre_restore_<ts>}. Any failure drops the side database and
 * leaves the live one as it was.
 */
public final class RestoreJob {
    private static final Logger LOG = LoggerFactory.getLogger("restore");
    private final Env env;
    private final ObjectStore store;
    private final Clock clock;
    private final SafetyBackup safety;

    /** Takes the pre-restore backup of the target; returns its key. */
    @FunctionalInterface
    public interface SafetyBackup {
        String take(DatabaseUrl target) throws IOException, InterruptedException;
    }

    public RestoreJob(Env env, ObjectStore store, Clock clock, SafetyBackup safety) {
        this.env = env;
        this.store = store;
        this.clock = clock;
        this.safety = safety;
    }

    /** A restore outside a command's run (tests): never cancelled from outside. */
    public RestoreReport run(RestoreRequest req) throws IOException, InterruptedException, SQLException {
        return run(req, RunContext.standalone("restore", req.source(), clock.instant()));
    }

    /**
     * The restore; when {@code ctx} is cancelled (SIGTERM, BACKUP_TIMEOUT) the statement running
     * on the maintenance connection is cancelled too, and a cancelled run never starts the swap.
     */
    public RestoreReport run(RestoreRequest req, RunContext ctx) throws IOException, InterruptedException, SQLException {
        Instant started = clock.instant();
        ChosenBackup chosen = ChosenBackup.resolve(store, req.source(), req.selection());
        Manifest m = chosen.manifest();
        String live = req.target().database();
        String stamp = DatabaseNames.stamp(started);
        String side = req.into() != null ? req.into() : DatabaseNames.side(live, started);
        LOG.info("backup {} taken {} ago ({}): {} tables, {} MB dumped", chosen.stem(),
                Durations.format(chosen.age(started).withNanos(0)), m.snapshotTime(), m.tables().size(), m.dumpBytes() / 1_000_000);
        try (Maintenance maint = Maintenance.connect(req.target());
             Cancellation.Registration onCancel = ctx.onCancel(maint::cancelRunning)) {
            PgVersion server = serverVersion(maint);
            PgBinaries bins = PgBinaries.forServer(env, newest(server, PgVersion.parse(m.pgDumpVersion())));
            boolean liveExists = maint.exists(live);
            List<String> plan = plan(req, chosen, live, side, stamp, liveExists);
            if (req.dryRun()) {
                plan.forEach(line -> LOG.info("plan: {}", line));
                return report("dry-run", chosen, req, started, null, null, null, List.of(), null, plan);
            }
            TrustCheck.require(store, req.decryptor(), m.dump(), req.withGlobals() ? m.globals() : null);
            if (req.into() != null && maint.exists(req.into())) {
                throw LifeboatException.config("--into " + req.into() + ": that database exists already; name a new one");
            }
            BackupStream.probe(store, m.dump(), req.decryptor()); // a wrong key: exit 2 before the safety backup writes anything
            String safetyKey = req.safetyBackup() && liveExists && req.swaps() ? safety.take(req.target()) : null;
            List<String> checks;
            maint.create(side, m.encoding(), m.collate(), m.ctype());
            try {
                checks = restoreAndValidate(req, chosen, bins, side);
                if (!req.tables().isEmpty()) {
                    checks = new ArrayList<>(checks);
                    checks.add(TableExtract.copyInto(bins, req.target(), req.target().withDatabase(side), req.tables(), "restore_" + stamp));
                }
                ctx.throwIfCancelled(); // stopped while restoring: the side database goes, live stays as it is
            } catch (IOException | SQLException | RuntimeException | InterruptedException e) {
                dropQuietly(maint, side);
                throw e;
            }
            if (!req.tables().isEmpty()) {
                dropQuietly(maint, side);
                return report("restored tables", chosen, req, started, req.target().database() + ".restore_" + stamp, null, safetyKey, checks, null, plan);
            }
            if (req.into() != null) {
                return report("restored", chosen, req, started, side, null, null, checks, null, plan);
            }
            if (!liveExists) {
                maint.exec("ALTER DATABASE " + dev.lifeboat.pg.TableRef.quote(side) + " RENAME TO " + dev.lifeboat.pg.TableRef.quote(live));
                return report("restored", chosen, req, started, live, null, safetyKey, checks, null, plan);
            }
            String pre = DatabaseNames.preRestore(live, started);
            String rollback;
            try {
                rollback = DatabaseSwap.swap(maint, live, side, pre);
            } catch (LifeboatException | SQLException e) {
                dropQuietly(maint, side);
                throw e;
            }
            LOG.info("{} now holds backup {}; the old database is kept as {}", live, chosen.stem(), pre);
            LOG.info("to roll back: {}", rollback);
            return report("restored", chosen, req, started, live, pre, safetyKey, checks, rollback, plan);
        }
    }

    private List<String> restoreAndValidate(RestoreRequest req, ChosenBackup chosen, PgBinaries bins, String side)
            throws IOException, InterruptedException, SQLException {
        Manifest m = chosen.manifest();
        DatabaseUrl sideUrl = req.target().withDatabase(side);
        List<String> checks = new ArrayList<>();
        if (req.withGlobals() && m.globals() != null) {
            checks.add(Globals.apply(store, m.globals(), req.decryptor(), bins, req.target()));
        }
        List<String> options = req.noOwner() ? List.of("--no-owner") : List.of();
        AtomicReference<Comparison.Rows> rowCheck = new AtomicReference<>();
        DumpRestore.Restored restored = DumpRestore.run(store, m, req.decryptor(), bins, sideUrl, options, req.parallelism(),
                DumpRestore.spoolDir(env), archive -> {
                    try (Connection c = Databases.connect(sideUrl)) {
                        Comparison.Rows rows = Comparison.rowsOrInserts(c, m);
                        rowCheck.set(rows);
                        return rows.differences();
                    }
                });
        checks.add("checksum: SHA-256 and size of " + m.dump().key() + " match the manifest");
        checks.add("integrity: the OpenPGP integrity check and every archive block passed (" + restored.contents().toc().size() + " entries)");
        List<Difference> diffs = restored.differences();
        if (!diffs.isEmpty()) {
            throw LifeboatException.failed("the restored database differs from the backup: " + diffs.get(0)
                    + (diffs.size() > 1 ? " (and " + (diffs.size() - 1) + " more)" : ""));
        }
        Comparison.Rows rows = rowCheck.get();
        checks.add("rows: all " + m.tables().size() + " tables have exactly the manifest's row counts ("
                + rows.counted() + " counted, " + rows.settledByInserts() + " by the server's count of the rows inserted)");
        return checks;
    }

    private List<String> plan(RestoreRequest req, ChosenBackup chosen, String live, String side, String stamp, boolean liveExists) {
        List<String> plan = new ArrayList<>();
        plan.add("backup " + chosen.stem() + " (" + chosen.manifest().tables().size() + " tables, taken " + chosen.manifest().snapshotTime() + ")");
        if (req.safetyBackup() && liveExists && req.swaps()) plan.add("safety backup of " + live + " (tag pre-restore)");
        plan.add("restore into new database " + side + " and check it against the manifest");
        if (!req.tables().isEmpty()) plan.add("copy " + req.tables() + " into schema restore_" + stamp + " of " + live + ", then drop " + side);
        else if (req.into() == null && liveExists) plan.add("swap: " + live + " -> " + DatabaseNames.preRestore(live, clock.instant()) + ", " + side + " -> " + live);
        else if (req.into() == null) plan.add("rename " + side + " to " + live + " (no database of that name exists)");
        return plan;
    }

    private RestoreReport report(String status, ChosenBackup chosen, RestoreRequest req, Instant started, String into, String pre,
                                 String safetyKey, List<String> checks, String rollback, List<String> plan) {
        Instant now = clock.instant();
        return new RestoreReport(status, chosen.stem(), chosen.manifest().snapshotTime(),
                chosen.age(now).toMinutes() / 60.0, req.target().toString(), into, pre, safetyKey,
                chosen.manifest().tables().size(), checks, rollback, Duration.between(started, now).toMillis() / 1000.0, plan);
    }

    private static PgVersion serverVersion(Maintenance m) throws SQLException {
        return PgVersion.fromNum((int) Databases.longQuery(m.connection(), "SELECT current_setting('server_version_num')::int"));
    }

    private static PgVersion newest(PgVersion a, PgVersion b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static void dropQuietly(Maintenance m, String db) {
        try {
            m.dropIfExists(db);
        } catch (SQLException e) {
            LOG.warn("could not drop {}: {} (drop it by hand)", db, e.getMessage());
        }
    }
}
