package dev.lifeboat.drill;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.SequenceValue;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.json.Json;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgVersion;
import dev.lifeboat.pg.TableRef;
import dev.lifeboat.restore.DumpRestore;
import dev.lifeboat.restore.ChosenBackup;
import dev.lifeboat.restore.Comparison;
import dev.lifeboat.restore.DatabaseNames;
import dev.lifeboat.restore.Difference;
import dev.lifeboat.restore.Maintenance;
import dev.lifeboat.restore.TrustCheck;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The weekly proof: restores a backup into a throwaway database {@code lifeboat_drill_<ts>},
 * compares it exactly with the manifest (rows, large objects) and the archive (sequences,
 * row-level security), runs the operator's checks, times the restore against the RTO, drops
 * the database, and files the report under {@code drill/} (and {@code .verified.json} when it passed).
 * It never writes to the live database.
 */
public final class DrillJob {
    static final String PREFIX = "lifeboat_drill_";
    private static final Logger LOG = LoggerFactory.getLogger("drill");
    private final Env env;
    private final ObjectStore store;
    private final Clock clock;

    public DrillJob(Env env, ObjectStore store, Clock clock) {
        this.env = env;
        this.store = store;
        this.clock = clock;
    }

    public DrillReport run(DrillRequest req) throws IOException, InterruptedException, SQLException {
        Instant started = clock.instant();
        ChosenBackup chosen = ChosenBackup.resolve(store, req.source(), req.selection());
        Manifest m = chosen.manifest();
        String db = DatabaseNames.drill(started);
        if (db.equals(req.live().database()) && sameServer(req.live(), req.server())) {
            throw LifeboatException.config("refusing to drill into " + db + ": it is the live database");
        }
        List<String> checkQueries = req.checkSql() == null ? List.of() : CheckSql.queries(req.checkSql());
        TrustCheck.require(store, req.decryptor(), m.dump());
        DrillReport report;
        try (Maintenance maint = Maintenance.connect(req.server())) {
            removeLeftovers(maint, req);
            PgVersion server = PgVersion.fromNum((int) Databases.longQuery(maint.connection(), "SELECT current_setting('server_version_num')::int"));
            PgVersion dumped = PgVersion.parse(m.pgDumpVersion());
            PgBinaries bins = PgBinaries.forServer(env, server.compareTo(dumped) >= 0 ? server : dumped);
            maint.create(db, m.encoding(), m.collate(), m.ctype());
            try {
                report = restoreAndCompare(req, chosen, bins, db, checkQueries, started);
            } finally {
                if (req.keep()) LOG.info("keeping {} (--keep); drop it when done", db);
                else maint.dropIfExists(db);
            }
        }
        file(report, chosen);
        return report;
    }

    private DrillReport restoreAndCompare(DrillRequest req, ChosenBackup chosen, PgBinaries bins, String db,
                                          List<String> checkQueries, Instant started) throws IOException, InterruptedException, SQLException {
        Manifest m = chosen.manifest();
        DatabaseUrl target = req.server().withDatabase(db);
        Instant t0 = clock.instant();
        DumpRestore.Restored restored = DumpRestore.run(store, m, req.decryptor(), bins, target,
                List.of("--no-owner", "--no-privileges"), req.parallelism(), DumpRestore.spoolDir(env), archive -> {
                    try (Connection c = Databases.connect(target)) {
                        List<Difference> found = new ArrayList<>(Comparison.rows(c, m));
                        found.addAll(Comparison.sequences(c, archive.toc()));
                        return found;
                    }
                });
        ArchiveContents contents = restored.contents();
        double restoreSeconds = Duration.between(t0, clock.instant()).toMillis() / 1000.0;
        List<Difference> diffs = new ArrayList<>(archiveDifferences(m, contents));
        diffs.addAll(restored.differences());
        List<String> failedChecks;
        int sequences = (int) contents.toc().stream().filter(e -> SequenceValue.of(e).isPresent()).count();
        try (Connection c = Databases.connect(target)) {
            diffs.addAll(Comparison.policies(c, contents.toc()));
            failedChecks = CheckSql.run(c, checkQueries);
        }
        List<String> uncovered = uncovered(req.live(), m);
        boolean rtoMet = restoreSeconds <= req.rtoTarget().toSeconds();
        boolean passed = diffs.isEmpty() && failedChecks.isEmpty() && rtoMet && (!req.strict() || uncovered.isEmpty());
        diffs.forEach(d -> LOG.error("difference: {}", d));
        failedChecks.forEach(f -> LOG.error("check failed: {}", f));
        uncovered.forEach(t -> LOG.warn("live table {} is in no backup (left out by a filter, or new)", t));
        if (!rtoMet) LOG.error("restore took {} s, over BACKUP_RTO_TARGET ({} s)", restoreSeconds, req.rtoTarget().toSeconds());
        long rows = m.tables().stream().mapToLong(Manifest.TableEntry::rows).sum();
        Instant now = clock.instant();
        return new DrillReport(DrillReport.FORMAT, passed ? "passed" : "failed", chosen.stem(), m.snapshotTime(),
                chosen.age(now).toMinutes() / 60.0, db, m.tables().size(), rows, sequences, diffs, uncovered, failedChecks,
                restoreSeconds, req.rtoTarget().toSeconds(), rtoMet, started.toString(), Version.get());
    }

    /** The archive's own row counts must equal the manifest's too (a dump whose data went missing is caught here). */
    private static List<Difference> archiveDifferences(Manifest m, ArchiveContents contents) {
        List<Difference> out = new ArrayList<>();
        for (Manifest.TableEntry t : m.tables()) {
            long inArchive = contents.rowsOf(t.schema(), t.name());
            if (inArchive != t.rows()) {
                out.add(new Difference("archive table", t.schema() + "." + t.name(), t.rows() + " rows",
                        inArchive < 0 ? "no data block" : inArchive + " rows in the archive"));
            }
        }
        return out;
    }

    /** Live tables that this backup does not carry (left out by a filter, or created since); read-only. */
    private static List<String> uncovered(DatabaseUrl live, Manifest m) {
        Set<String> covered = new TreeSet<>();
        m.tables().forEach(t -> covered.add(t.schema() + "." + t.name()));
        List<String> out = new ArrayList<>();
        try (Connection c = Databases.connect(live)) {
            c.setReadOnly(true);
            for (TableRef t : Databases.dataTables(c)) {
                if (!covered.contains(t.toString())) out.add(t.toString());
            }
        } catch (SQLException | LifeboatException e) {
            LOG.warn("could not read the live catalog to find uncovered tables: {}", e.getMessage());
        }
        return out;
    }

    private static void removeLeftovers(Maintenance maint, DrillRequest req) throws SQLException {
        for (String old : maint.databasesStartingWith(PREFIX)) {
            if (old.equals(req.live().database())) continue;
            LOG.warn("dropping {}, left by an earlier drill that did not finish", old);
            maint.dropIfExists(old);
        }
    }

    private void file(DrillReport report, ChosenBackup chosen) throws IOException {
        Instant t = Instant.parse(report.drilledAt());
        String base = "drill/" + chosen.entry().key().source() + "/" + t.toString().substring(0, 10) + "/"
                + DatabaseNames.stamp(t).substring(9);
        String key = base + ".json";
        // a drill can finish within the second of the previous one: never overwrite its report
        for (int n = 2; store.stat(key).isPresent(); n++) key = base + "-" + n + ".json";
        Map<String, String> meta = Map.of(ObjectStore.VERSION_METADATA, Version.get());
        store.put(key, Json.bytes(report), meta);
        if (report.passed()) {
            store.replace(chosen.entry().key().verifiedKey(), Json.bytes(Map.of("format", "lifeboat-verified/1",
                    "key", chosen.stem(), "level", "drill", "verified_at", report.drilledAt(), "report", key,
                    "lifeboat_version", Version.get())), meta);
        }
    }

    private static boolean sameServer(DatabaseUrl a, DatabaseUrl b) {
        return a.host().equals(b.host()) && a.port() == b.port();
    }
}
