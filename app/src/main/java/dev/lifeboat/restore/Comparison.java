package dev.lifeboat.restore;

import dev.lifeboat.archive.SequenceValue;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.pg.Databases;
import dev.lifeboat.pg.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a restored database with its backup, exactly: every table's rows with the
 * manifest's counts (taken in the dump's own snapshot), the large objects, and (from the
 * archive's table of contents) sequence values and row-level-security policies. Zero
 * differences is the only good result.
 */
public final class Comparison {
    private Comparison() {}

    /** How {@link #rowsOrInserts} settled the tables: the differences, and how many the server's statistics settled. */
    public record Rows(List<Difference> differences, int settledByInserts, int counted) {}

    /** Every table's rows counted ({@code count(*) FROM ONLY}) against the manifest, and the large objects. */
    public static List<Difference> rows(Connection restored, Manifest m) throws SQLException {
        return rows(restored, m, Map.of()).differences();
    }

    /**
     * As {@link #rows}, but a table whose server statistics show exactly the manifest's rows
     * inserted, all of them live and none deleted, is settled without a scan
     * ({@link #insertCounts}); every other table is counted.
     */
    public static Rows rowsOrInserts(Connection restored, Manifest m) throws SQLException {
        return rows(restored, m, insertCounts(restored));
    }

    private static Rows rows(Connection restored, Manifest m, Map<TableRef, Long> inserted) throws SQLException {
        List<Difference> out = new ArrayList<>();
        Set<String> present = tables(restored);
        int settled = 0;
        int counted = 0;
        for (Manifest.TableEntry t : m.tables()) {
            TableRef ref = new TableRef(t.schema(), t.name());
            if (!present.contains(ref.toString())) {
                out.add(new Difference("table", ref.toString(), t.rows() + " rows", "no such table"));
                continue;
            }
            if (t.rows() > 0 && inserted.getOrDefault(ref, -1L) == t.rows()) {
                settled++;
                continue;
            }
            counted++;
            long actual = Databases.longQuery(restored, "SELECT count(*) FROM ONLY " + ref.sql());
            if (actual != t.rows()) out.add(new Difference("table", ref.toString(), t.rows() + " rows", actual + " rows"));
        }
        long los = Databases.longQuery(restored, "SELECT count(*) FROM pg_largeobject_metadata");
        if (los != m.largeObjects()) {
            out.add(new Difference("large objects", "pg_largeobject_metadata", Long.toString(m.largeObjects()), Long.toString(los)));
        }
        return new Rows(out, settled, counted);
    }

    /**
     * The rows the server counted into each table as they were inserted, for the tables whose
     * statistics show only that: every inserted row live, none deleted, updated or dead. Empty
     * before PostgreSQL 15 (whose statistics collector may drop or delay reports), when
     * {@code track_counts} is off, and while any pg_restore that loads data
     * ({@link RestoreSession#LOADING}) is still connected: a backend reports its counts as it
     * exits, before it leaves {@code pg_stat_activity}, so once none is left every count is in.
     */
    static Map<TableRef, Long> insertCounts(Connection c) throws SQLException {
        if (Databases.longQuery(c, "SELECT current_setting('server_version_num')::int") < 150000) return Map.of();
        try (PreparedStatement loading = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = ? AND pid <> pg_backend_pid()")) {
            loading.setString(1, RestoreSession.LOADING);
            try (ResultSet rs = loading.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) return Map.of();
            }
        }
        Map<TableRef, Long> out = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT schemaname, relname, n_tup_ins FROM pg_stat_user_tables "
                     + "WHERE current_setting('track_counts')::bool AND n_tup_ins = n_live_tup AND n_tup_del = 0 "
                     + "AND n_tup_upd = 0 AND n_dead_tup = 0")) {
            while (rs.next()) out.put(new TableRef(rs.getString(1), rs.getString(2)), rs.getLong(3));
        }
        return out;
    }

    public static List<Difference> sequences(Connection restored, List<TocEntry> toc) throws SQLException {
        List<Difference> out = new ArrayList<>();
        for (TocEntry e : toc) {
            SequenceValue expected = SequenceValue.of(e).orElse(null);
            if (expected == null) continue;
            String name = new TableRef(expected.schema(), expected.name()).sql();
            try (Statement st = restored.createStatement();
                 ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + name)) {
                rs.next();
                if (rs.getLong(1) != expected.value() || rs.getBoolean(2) != expected.called()) {
                    out.add(new Difference("sequence", expected.schema() + "." + expected.name(),
                            expected.value() + (expected.called() ? " (called)" : ""),
                            rs.getLong(1) + (rs.getBoolean(2) ? " (called)" : "")));
                }
            } catch (SQLException ex) {
                out.add(new Difference("sequence", expected.schema() + "." + expected.name(), Long.toString(expected.value()), "missing"));
            }
        }
        return out;
    }

    /** Row-level security: the tables with it enabled and the policies, as sets. */
    public static List<Difference> policies(Connection restored, List<TocEntry> toc) throws SQLException {
        Set<String> expectedRls = new TreeSet<>();
        Set<String> expectedPolicies = new TreeSet<>();
        for (TocEntry e : toc) {
            if ("ROW SECURITY".equals(e.desc())) expectedRls.add(e.namespace() + "." + e.tag());
            if ("POLICY".equals(e.desc())) expectedPolicies.add(e.namespace() + "." + e.tag());
        }
        Set<String> rls = strings(restored, "SELECT n.nspname || '.' || c.relname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relrowsecurity");
        Set<String> policies = strings(restored, "SELECT schemaname || '.' || tablename || ' ' || policyname FROM pg_policies");
        List<Difference> out = new ArrayList<>();
        if (!rls.equals(expectedRls)) out.add(new Difference("row security", "tables", expectedRls.toString(), rls.toString()));
        if (!policies.equals(expectedPolicies)) out.add(new Difference("policies", "pg_policies", expectedPolicies.toString(), policies.toString()));
        return out;
    }

    private static Set<String> tables(Connection c) throws SQLException {
        return strings(c, "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r','p')");
    }

    private static Set<String> strings(Connection c, String sql) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
