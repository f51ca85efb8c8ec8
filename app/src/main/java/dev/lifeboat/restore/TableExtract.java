package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.NamePattern;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.pg.TableRef;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code restore --table}: from a validated scratch database, copies the chosen tables (all
 * their rows, partitions included) into a new schema of the live database, leaving the live
 * tables untouched. pg_restore cannot rename schemas, so the copy is made in the scratch
 * database under the new schema's name and moved across with pg_dump | pg_restore.
 */
final class TableExtract {
    private TableExtract() {}

    static String copyInto(PgBinaries bins, DatabaseUrl live, DatabaseUrl scratch, List<String> patterns, String schema)
            throws SQLException, IOException, InterruptedException {
        List<TableRef> tables = new ArrayList<>();
        long rows = 0;
        try (Connection c = Databases.connect(scratch); Statement st = c.createStatement()) {
            List<TableRef> all = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.relkind IN ('r','p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog','information_schema')")) {
                while (rs.next()) all.add(new TableRef(rs.getString(1), rs.getString(2)));
            }
            for (String p : patterns) {
                List<TableRef> matched = all.stream().filter(t -> NamePattern.table(p).matchesTable(t)).toList();
                if (matched.isEmpty()) throw LifeboatException.config("--table " + p + " matches no table in the backup");
                matched.stream().filter(t -> !tables.contains(t)).forEach(tables::add);
            }
            st.execute("CREATE SCHEMA " + TableRef.quote(schema));
            for (TableRef t : tables) {
                String copy = TableRef.quote(schema) + "." + TableRef.quote(t.name());
                st.execute("CREATE TABLE " + copy + " AS SELECT * FROM " + t.sql());
                rows += Databases.longQuery(c, "SELECT count(*) FROM " + copy);
            }
        }
        try (PgChild dump = PgChild.start(bins.pgDump(), List.of("--format=custom", "--compress=0", "--no-password",
                "--schema=" + schema), scratch.childEnv());
             PgChild restore = PgChild.start(bins.pgRestore(), List.of("--exit-on-error", "--no-password", "--no-owner",
                     "--dbname=" + live.database()), live.childEnv())) {
            dump.stdin().close();
            dump.stdout().transferTo(restore.stdin());
            restore.stdin().close();
            dump.requireSuccess();
            restore.requireSuccess();
        }
        long copied = 0;
        try (Connection c = Databases.connect(live)) {
            for (TableRef t : tables) {
                copied += Databases.longQuery(c, "SELECT count(*) FROM " + TableRef.quote(schema) + "." + TableRef.quote(t.name()));
            }
        }
        if (copied != rows) throw LifeboatException.failed("copied " + copied + " rows into " + schema + ", expected " + rows);
        return "tables: " + tables + " copied into schema " + schema + " of " + live.database() + " (" + rows + " rows)";
    }
}
