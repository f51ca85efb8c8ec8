package dev.lifeboat.restore;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.Databases;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of a pg_restore child: the target's connection settings, and
 * {@code maintenance_work_mem} raised to {@link #INDEX_MEMORY} for its session when the server's
 * setting is lower, so that index builds after the data sort in memory (and use parallel
 * workers). A server configured higher keeps its own value; an unreadable setting changes nothing.
 * Its application name ({@link #LOADING}) tells {@link Comparison#insertCounts} which sessions may
 * still owe the server their row counts.
 */
final class RestoreSession {
    static final long INDEX_MEMORY = 256L << 20;
    /** The application name of every pg_restore that may load rows; {@link PostData}'s run has its own. */
    static final String LOADING = "lifeboat restore";
    static final String POST_DATA = "lifeboat post-data";

    private RestoreSession() {}

    static Map<String, String> env(DatabaseUrl target) {
        Map<String, String> env = new LinkedHashMap<>(target.childEnv());
        env.put("PGAPPNAME", LOADING);
        try (Connection c = Databases.connect(target)) {
            long bytes = Databases.longQuery(c, "SELECT setting::bigint * 1024 FROM pg_settings WHERE name = 'maintenance_work_mem'");
            if (bytes < INDEX_MEMORY) env.put("PGOPTIONS", "-c maintenance_work_mem=" + (INDEX_MEMORY >> 20) + "MB");
        } catch (SQLException | RuntimeException e) {
            // keep the server's settings
        }
        return env;
    }
}
