package dev.lifeboat.pg;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Catalog queries shared by backup, restore and drill. */
public final class Databases {
    private Databases() {}

    /** Opens a JDBC session; exit 3 with the server's reason (never the password) when it fails. */
    public static Connection connect(DatabaseUrl url) {
        try {
            return DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties());
        } catch (SQLException e) {
            throw LifeboatException.failed("cannot connect to " + url + ": " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static long longQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static ServerInfo serverInfo(Connection c) throws SQLException {
        String sql = "SELECT current_setting('server_version_num')::int, current_database(), "
                + "pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, current_user, "
                + "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                + "FROM pg_database d WHERE d.datname = current_database()";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return new ServerInfo(PgVersion.fromNum(rs.getInt(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getBoolean(7));
        }
    }

    /** The user relations pg_dump considers: no system schemas, temp tables or extension members. */
    static List<Relation> relations(Connection c) throws SQLException {
        String sql = "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r','p','m','f') AND c.relpersistence <> 't' "
                + "AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
                + "AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
                + "AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e') "
                + "ORDER BY n.nspname, c.relname";
        List<Relation> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(new Relation(rs.getString(1), rs.getString(2), rs.getString(3).charAt(0)));
        }
        return out;
    }

    /** The ordinary tables (and partitions) of the database, as pg_dump would see them. */
    public static List<TableRef> dataTables(Connection c) throws SQLException {
        return relations(c).stream().filter(r -> r.kind() == 'r').map(Relation::ref).toList();
    }

    /** Exact row counts of the given tables ({@code FROM ONLY}), in the connection's current transaction. */
    public static List<TableCount> count(Connection c, List<TableRef> tables) throws SQLException {
        List<TableCount> out = new ArrayList<>();
        for (TableRef t : tables) out.add(new TableCount(t.schema(), t.name(), longQuery(c, "SELECT count(*) FROM ONLY " + t.sql())));
        return out;
    }
}
