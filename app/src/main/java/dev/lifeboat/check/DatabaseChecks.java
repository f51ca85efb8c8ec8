package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgVersion;
import dev.lifeboat.pg.ServerInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code database}: DATABASE_URL reachable with its role, not through a transaction pooler;
 * {@code database-read}: that role may read every table and sequence pg_dump would dump (read
 * only: privileges are asked of the catalog, no table is read); {@code pg-tools}: pg_dump,
 * pg_dumpall, pg_restore and psql found and at least as new as the server.
 */
final class DatabaseChecks {
    private static final String RELATIONS = "SELECT n.nspname, c.relname, c.relkind, has_schema_privilege(n.oid, 'USAGE'), "
            + "has_table_privilege(c.oid, 'SELECT'), c.relrowsecurity AND NOT pg_has_role(c.relowner, 'USAGE') "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN ('r','p','S') AND c.relpersistence <> 't' "
            + "AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
            + "AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
            + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
            + "AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') ORDER BY 1, 2";

    private DatabaseChecks() {}

    /** Adds the three results; returns the server's version when the database was reached. */
    static Optional<PgVersion> run(Env env, List<CheckResult> out) {
        Optional<PgVersion> version = Optional.empty();
        try {
            DatabaseUrl url = DatabaseUrl.fromEnv(env, "DATABASE_URL");
            try (Connection c = Databases.connect(url)) {
                ServerInfo s = Databases.serverInfo(c);
                version = Optional.of(s.version());
                if (throughTransactionPooler(c)) {
                    out.add(CheckResult.fail("database", url + " goes through a transaction-mode connection pooler "
                            + "(the server session changed inside a transaction)",
                            "point DATABASE_URL at the server or a session-mode pool"));
                } else {
                    out.add(CheckResult.ok("database", url + " as " + s.currentUser() + (s.superuser() ? " (superuser)" : "")
                            + ", PostgreSQL " + s.version()));
                }
                out.add(readable(c, s.currentUser()));
            }
        } catch (LifeboatException | SQLException e) {
            out.add(CheckResult.fail("database", e.getMessage(),
                    "check DATABASE_URL (host, port, database, user, password or PGPASSFILE, sslmode)"));
            out.add(CheckResult.skip("database-read", "the database is not reachable"));
        }
        out.add(tools(env, version));
        return version;
    }

    private static boolean throughTransactionPooler(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        try {
            c.setAutoCommit(false);
            long first = Databases.longQuery(c, "SELECT pg_backend_pid()");
            long second = Databases.longQuery(c, "SELECT pg_backend_pid()");
            c.rollback();
            return first != second;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static CheckResult readable(Connection c, String role) throws SQLException {
        int tables = 0;
        List<String> deniedTables = new ArrayList<>();
        List<String> deniedSequences = new ArrayList<>();
        List<String> rls = new ArrayList<>();
        Map<String, Set<String>> grants = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(RELATIONS)) {
            while (rs.next()) {
                String schema = rs.getString(1);
                String name = schema + "." + rs.getString(2);
                boolean sequence = rs.getString(3).equals("S");
                if (!sequence) tables++;
                Set<String> g = grants.computeIfAbsent(schema, k -> new LinkedHashSet<>());
                if (!rs.getBoolean(4)) g.add("GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + quote(role));
                if (!rs.getBoolean(5)) {
                    g.add("GRANT SELECT ON ALL " + (sequence ? "SEQUENCES" : "TABLES") + " IN SCHEMA " + quote(schema) + " TO " + quote(role));
                }
                if (!rs.getBoolean(4) || !rs.getBoolean(5)) (sequence ? deniedSequences : deniedTables).add(name);
                else if (rs.getBoolean(6)) rls.add(name);
            }
        }
        boolean bypass = Databases.longQuery(c, "SELECT (rolbypassrls OR rolsuper)::int FROM pg_roles WHERE rolname = current_user") == 1;
        if (!deniedTables.isEmpty() || !deniedSequences.isEmpty()) {
            List<String> fixes = grants.values().stream().flatMap(Set::stream)
                    .sorted(java.util.Comparator.comparing((String g) -> g.contains("SEQUENCES"))).toList();
            String what = (deniedTables.isEmpty() ? "" : deniedTables.size() + " table(s): " + shortList(deniedTables))
                    + (deniedTables.isEmpty() || deniedSequences.isEmpty() ? "" : "; and ")
                    + (deniedSequences.isEmpty() ? "" : deniedSequences.size() + " sequence(s): " + shortList(deniedSequences));
            return CheckResult.fail("database-read", "role " + role + " cannot read " + what, String.join("; ", fixes)
                    + " (or GRANT pg_read_all_data TO " + quote(role) + " on PostgreSQL 14+)");
        }
        if (!rls.isEmpty() && !bypass) {
            return CheckResult.fail("database-read", "row-level security on " + shortList(rls) + " would make pg_dump fail as " + role,
                    "ALTER ROLE " + quote(role) + " BYPASSRLS (or dump as the tables' owner)");
        }
        return CheckResult.ok("database-read", "role " + role + " may read all " + tables + " tables and their sequences");
    }

    private static CheckResult tools(Env env, Optional<PgVersion> server) {
        try {
            PgBinaries bins = PgBinaries.forServer(env, server.orElse(PgVersion.fromNum(100000)));
            for (Path p : List.of(bins.pgDump(), bins.pgDumpAll(), bins.pgRestore(), bins.psql())) {
                if (!Files.isExecutable(p)) {
                    return CheckResult.fail("pg-tools", p + " is missing or not executable",
                            "install the PostgreSQL client programs of version " + bins.version().major() + " or set PG_BIN_DIR");
                }
            }
            return CheckResult.ok("pg-tools", "pg_dump, pg_dumpall, pg_restore, psql " + bins.version() + " in " + bins.dir()
                    + server.map(v -> " (server " + v + ")").orElse(" (server version unknown)"));
        } catch (LifeboatException e) {
            return CheckResult.fail("pg-tools", e.getMessage(), "install the PostgreSQL client programs"
                    + server.map(v -> " of version " + v.major() + " or newer").orElse("") + ", or set PG_BIN_DIR");
        }
    }

    static String shortList(List<String> items) {
        return items.size() <= 5 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 5)) + " and " + (items.size() - 5) + " more";
    }

    private static String quote(String ident) {
        return ident.matches("[a-z_][a-z0-9_]*") ? ident : "\"" + ident.replace("\"", "\"\"") + "\"";
    }
}
