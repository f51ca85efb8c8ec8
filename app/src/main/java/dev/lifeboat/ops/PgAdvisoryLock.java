package dev.lifeboat.ops;

import dev.lifeboat.LifeboatException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The cross-host half of "one backup per source at a time": a session-level
 * {@code pg_try_advisory_lock} on the live database, keyed by a stable 64-bit hash of
 * {@code lifeboat-backup:<source>}. It lives as long as the caller's connection (PostgreSQL
 * drops it when the session ends, so a crashed run leaves nothing); {@link #close()} unlocks
 * early. Use it on the connection the backup already holds, not through a transaction-mode
 * pooler (session locks do not survive one).
 */
public final class PgAdvisoryLock implements AutoCloseable {
    private final Connection connection;
    private final long key;

    private PgAdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** Takes the lock or throws {@link LifeboatException#locked} naming the other session. */
    public static PgAdvisoryLock acquire(Connection connection, String source) {
        long key = key(source);
        try {
            boolean got;
            try (PreparedStatement st = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                st.setLong(1, key);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (!got) {
                throw LifeboatException.locked("another backup of " + source + " holds the database's advisory lock "
                        + key + " (" + holder(connection, key) + "); exiting without doing anything");
            }
            return new PgAdvisoryLock(connection, key);
        } catch (SQLException e) {
            throw LifeboatException.failed("cannot take the advisory lock for " + source + ": " + e.getMessage(), e);
        }
    }

    /** The first 8 bytes of SHA-256("lifeboat-backup:" + source), as a signed 64-bit key. */
    public static long key(String source) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("lifeboat-backup:" + source).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public long key() {
        return key;
    }

    @Override
    public void close() {
        try {
            if (connection.isClosed()) return;
            try (PreparedStatement st = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                st.setLong(1, key);
                st.execute();
            }
        } catch (SQLException ignored) {
            // the lock ends with the session anyway
        }
    }

    /** The other session, as far as this role may see it (pg_stat_activity hides others' details). */
    private static String holder(Connection connection, long key) {
        String sql = "select a.pid, a.client_addr, a.application_name, a.backend_start, a.usename"
                + " from pg_locks l left join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.granted and l.objsubid = 1"
                + " and l.classid::bigint = ? and l.objid::bigint = ? and l.database = (select oid from pg_database where datname = current_database())"
                + " limit 1";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setLong(1, key >>> 32);
            st.setLong(2, key & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) return "holder not visible";
                String addr = rs.getString(2);
                return "held by backend pid " + rs.getInt(1)
                        + ", client " + (addr == null ? "local socket or not visible" : addr)
                        + ", application_name '" + nullToEmpty(rs.getString(3)) + "'"
                        + ", user " + nullToEmpty(rs.getString(5))
                        + ", backend_start " + (rs.getTimestamp(4) == null ? "not visible" : rs.getTimestamp(4).toInstant());
            }
        } catch (SQLException e) {
            return "holder not visible: " + e.getMessage();
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
