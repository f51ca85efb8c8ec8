package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.pg.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Puts a validated side database in the live database's place (DESIGN.md, safety rules): new
 * connections to the live database are disallowed, its sessions ended, then in ONE transaction
 * the live database is renamed to {@code <db>_pre_restore_<ts>} and the side database takes its
 * name. If anything fails, the transaction rolls back and the live database is allowed again:
 * it is either the old one or the new one, never missing.
 */
public final class DatabaseSwap {
    private static final Logger LOG = LoggerFactory.getLogger("restore");

    private DatabaseSwap() {}

    /** Returns the statement that swaps back. */
    public static String swap(Maintenance m, String live, String side, String preRestore) throws SQLException {
        Connection c = m.connection();
        m.exec("ALTER DATABASE " + q(live) + " ALLOW_CONNECTIONS false");
        boolean swapped = false;
        try {
            int ended = m.terminate(live);
            if (ended > 0) LOG.info("ended {} session(s) on {}", ended, live);
            c.setAutoCommit(false);
            try {
                m.exec("ALTER DATABASE " + q(live) + " RENAME TO " + q(preRestore));
                m.exec("ALTER DATABASE " + q(side) + " RENAME TO " + q(live));
                c.commit();
                swapped = true;
            } catch (SQLException e) {
                c.rollback();
                throw LifeboatException.failed("swap failed, " + live + " is unchanged: " + e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
        } finally {
            allowConnections(m, swapped ? preRestore : live);
        }
        return rollbackCommand(live, preRestore);
    }

    /**
     * Lets clients connect again. A cancel request meant for the swap (the run was stopped) can
     * arrive late and hit this statement instead, so a cancelled attempt is repeated once: the
     * live database must never be left refusing connections.
     */
    private static void allowConnections(Maintenance m, String db) throws SQLException {
        String sql = "ALTER DATABASE " + q(db) + " ALLOW_CONNECTIONS true";
        try {
            m.exec(sql);
        } catch (SQLException e) {
            if (!"57014".equals(e.getSQLState())) throw e;
            m.exec(sql);
        }
    }

    public static String rollbackCommand(String live, String preRestore) {
        String tmp = DatabaseNames.withSuffix(live, "_rolled_back");
        return "psql -d postgres -c 'ALTER DATABASE " + q(live) + " RENAME TO " + q(tmp) + "' -c 'ALTER DATABASE "
                + q(preRestore) + " RENAME TO " + q(live) + "'";
    }

    private static String q(String name) {
        return TableRef.quote(name);
    }
}
