package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements run from the server's maintenance database ({@code postgres}, else
 * {@code template1}): creating, dropping, listing and renaming databases.
 */
public final class Maintenance implements AutoCloseable {
    private final Connection c;

    private Maintenance(Connection c) {
        this.c = c;
    }

    /** Connects to the maintenance database of {@code server}'s server. */
    public static Maintenance connect(DatabaseUrl server) {
        try {
            return new Maintenance(Databases.connect(server.withDatabase("postgres")));
        } catch (LifeboatException e) {
            return new Maintenance(Databases.connect(server.withDatabase("template1")));
        }
    }

    public Connection connection() {
        return c;
    }

    public boolean exists(String db) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Databases whose names start with {@code prefix} (leftovers of crashed drills or restores). */
    public List<String> databasesStartingWith(String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY 1")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** CREATE DATABASE from template0 with the given encoding and collation (null: the server's defaults). */
    public void create(String db, String encoding, String collate, String ctype) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(TableRef.quote(db)).append(" TEMPLATE template0");
        if (encoding != null) sql.append(" ENCODING ").append(literal(encoding));
        if (collate != null) sql.append(" LC_COLLATE ").append(literal(collate));
        if (ctype != null) sql.append(" LC_CTYPE ").append(literal(ctype));
        exec(sql.toString());
    }

    /** Ends every session on {@code db} and drops it; a database that is not there is not an error. */
    public void dropIfExists(String db) throws SQLException {
        if (!exists(db)) return;
        exec("ALTER DATABASE " + TableRef.quote(db) + " ALLOW_CONNECTIONS false");
        terminate(db);
        exec("DROP DATABASE IF EXISTS " + TableRef.quote(db));
    }

    /** Ends the other sessions on {@code db}; returns how many were asked to end. */
    public int terminate(String db) throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) n++;
            }
        }
        return n;
    }

    /**
     * Asks the server to cancel the statement running on this connection (from another thread:
     * a cancelled run must not stay blocked in a lock wait, e.g. in the middle of the swap).
     */
    public void cancelRunning() {
        try {
            c.unwrap(org.postgresql.PGConnection.class).cancelQuery();
        } catch (SQLException ignored) {
            // nothing was running, or the server is gone: either way nothing waits any more
        }
    }

    public void exec(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
