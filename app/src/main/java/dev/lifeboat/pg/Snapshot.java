package dev.lifeboat.pg;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The transaction a backup is taken from (DESIGN.md, "How a backup is taken", step 1): a
 * REPEATABLE READ, READ ONLY transaction with the session's timeouts off, ACCESS SHARE locks
 * on every table to dump, an exported snapshot for pg_dump, and (when asked) exact
 * {@code FROM ONLY} row counts in that snapshot. It must stay open until pg_dump has exited;
 * {@link #close()} ends it. Without counts up front, {@link #count} counts tables later in the
 * same snapshot.
 */
public final class Snapshot implements AutoCloseable {
    private final Connection connection;
    private final ServerInfo server;
    private final String snapshotId;
    private final List<TableRef> dataTables;
    private final List<TableCount> counts;
    private final List<TableRef> leftOut;
    private final long largeObjects;

    private Snapshot(Connection connection, ServerInfo server, String snapshotId, List<TableRef> dataTables,
                     List<TableCount> counts, List<TableRef> leftOut, long largeObjects) {
        this.connection = connection;
        this.server = server;
        this.snapshotId = snapshotId;
        this.dataTables = dataTables;
        this.counts = counts;
        this.leftOut = leftOut;
        this.largeObjects = largeObjects;
    }

    /** Connects and prepares the snapshot with every table counted; exit 3 when the database cannot be reached. */
    public static Snapshot take(DatabaseUrl url, DumpFilter filter) {
        return take(url, filter, true);
    }

    /** As {@link #take(DatabaseUrl, DumpFilter)}; with {@code countRows} false, {@link #counts()} is empty. */
    public static Snapshot take(DatabaseUrl url, DumpFilter filter, boolean countRows) {
        Connection c = Databases.connect(url);
        try {
            return prepare(c, filter, countRows);
        } catch (SQLException e) {
            closeQuietly(c);
            throw LifeboatException.failed("snapshot of " + url + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static Snapshot prepare(Connection c, DumpFilter filter, boolean countRows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET idle_in_transaction_session_timeout = 0");
            st.execute("SET statement_timeout = 0");
            st.execute("SET lock_timeout = 0");
            long pidOutside = Databases.longQuery(c, "SELECT pg_backend_pid()");
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            long pidInside = Databases.longQuery(c, "SELECT pg_backend_pid()");
            if (pidOutside != pidInside) {
                throw LifeboatException.config("DATABASE_URL goes through a transaction-mode connection pooler "
                        + "(the server session changed between statements); point it at the server or a session-mode pool");
            }
            ServerInfo server = Databases.serverInfo(c);
            List<Relation> relations = Databases.relations(c);
            List<TableRef> toLock = new ArrayList<>();
            List<TableRef> data = new ArrayList<>();
            List<TableRef> leftOut = new ArrayList<>();
            for (Relation r : relations) {
                boolean table = r.kind() == 'r' || r.kind() == 'p';
                if (table && filter.includesTable(r.ref())) toLock.add(r.ref());
                if (r.kind() != 'r') continue;
                if (filter.includesData(r.ref())) data.add(r.ref());
                else leftOut.add(r.ref());
            }
            if (!toLock.isEmpty()) {
                st.execute("LOCK TABLE " + toLock.stream().map(TableRef::sql).collect(Collectors.joining(", "))
                        + " IN ACCESS SHARE MODE");
            }
            String snapshotId;
            try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                snapshotId = rs.getString(1);
            }
            List<TableCount> counts = countRows ? Databases.count(c, data) : List.of();
            long los = Databases.longQuery(c, "SELECT count(*) FROM pg_largeobject_metadata");
            return new Snapshot(c, server, snapshotId, List.copyOf(data), List.copyOf(counts), List.copyOf(leftOut), los);
        }
    }

    public ServerInfo server() { return server; }
    public String snapshotId() { return snapshotId; }
    /** The tables whose data the dump carries, in catalog order. */
    public List<TableRef> dataTables() { return dataTables; }
    /** Row counts taken up front (empty when the snapshot was taken without them). */
    public List<TableCount> counts() { return counts; }

    /** Exact row counts of {@code tables} in this snapshot (the transaction must still be open). */
    public List<TableCount> count(List<TableRef> tables) throws SQLException {
        return Databases.count(connection, tables);
    }
    /** Tables in the database whose data the filters left out of the dump. */
    public List<TableRef> leftOut() { return leftOut; }
    public long largeObjects() { return largeObjects; }
    /** The connection holding the snapshot (for an advisory lock on the same session). */
    public Connection connection() { return connection; }

    /** Ends the transaction and the session; call only after pg_dump has exited. */
    @Override
    public void close() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the session is closed below either way
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
    }
}
