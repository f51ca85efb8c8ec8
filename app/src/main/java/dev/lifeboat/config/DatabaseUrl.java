package dev.lifeboat.config;

import dev.lifeboat.LifeboatException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a PostgreSQL database is, from a libpq URI
 * ({@code postgresql://user:password@host:port/db?sslmode=require}) and/or the standard
 * {@code PG*} variables (the URI wins). The password is kept here and handed only to the
 * JDBC driver and to a child's own environment; {@link #toString()} never shows it.
 */
public final class DatabaseUrl {
    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> params;
    private final String variable;

    private DatabaseUrl(String variable, String host, int port, String database, String user, String password,
                        Map<String, String> params) {
        this.variable = variable;
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.params = params;
    }

    /** {@code variable} (e.g. DATABASE_URL) if set, otherwise the PG* variables; exit 2 when neither names a database. */
    public static DatabaseUrl fromEnv(Env env, String variable) {
        Optional<String> url = env.secret(variable);
        if (url.isEmpty() && env.get("PGDATABASE").isEmpty() && env.get("PGHOST").isEmpty()) {
            throw LifeboatException.config(variable + " is not set (expected postgresql://user:password@host:port/dbname, or the PG* variables)");
        }
        DatabaseUrl fromPg = fromPgVars(env, variable);
        DatabaseUrl d = url.isPresent() ? parse(variable, url.get(), fromPg) : fromPg;
        if (d.password != null) env.rememberSecret(d.password);
        return d;
    }

    private static DatabaseUrl fromPgVars(Env env, String variable) {
        Map<String, String> params = new LinkedHashMap<>();
        env.get("PGSSLMODE").ifPresent(v -> params.put("sslmode", v));
        env.get("PGSSLROOTCERT").ifPresent(v -> params.put("sslrootcert", v));
        env.get("PGSSLCERT").ifPresent(v -> params.put("sslcert", v));
        env.get("PGSSLKEY").ifPresent(v -> params.put("sslkey", v));
        env.get("PGCONNECT_TIMEOUT").ifPresent(v -> params.put("connect_timeout", v));
        int port = parsePort("PGPORT", env.get("PGPORT").orElse("5432"));
        return new DatabaseUrl(variable, env.get("PGHOST").orElse("localhost"), port,
                env.get("PGDATABASE").orElse(env.get("PGUSER").orElse(System.getProperty("user.name"))),
                env.get("PGUSER").orElse(System.getProperty("user.name")),
                env.secret("PGPASSWORD").orElse(null), params);
    }

    /** Parses a libpq URI; parts it leaves out come from {@code defaults}. */
    public static DatabaseUrl parse(String variable, String uri, DatabaseUrl defaults) {
        String rest;
        if (uri.startsWith("postgresql://")) rest = uri.substring("postgresql://".length());
        else if (uri.startsWith("postgres://")) rest = uri.substring("postgres://".length());
        else throw LifeboatException.config(variable + " is not a postgresql:// URL (expected postgresql://user:password@host:port/dbname)");

        Map<String, String> params = new LinkedHashMap<>(defaults.params);
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.isEmpty()) continue;
                int eq = kv.indexOf('=');
                if (eq <= 0) throw LifeboatException.config(variable + " has a malformed query parameter (expected key=value)");
                params.put(decode(variable, kv.substring(0, eq)), decode(variable, kv.substring(eq + 1)));
            }
            rest = rest.substring(0, q);
        }
        String user = defaults.user;
        String password = defaults.password;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = decode(variable, userInfo.substring(0, colon));
                password = decode(variable, userInfo.substring(colon + 1));
            } else {
                user = decode(variable, userInfo);
            }
        }
        String database = defaults.database;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String db = decode(variable, rest.substring(slash + 1));
            if (!db.isEmpty()) database = db;
            rest = rest.substring(0, slash);
        }
        String host = defaults.host;
        int port = defaults.port;
        if (!rest.isEmpty()) {
            if (rest.contains(",")) throw LifeboatException.config(variable + " names several hosts; lifeboat needs exactly one");
            int colon = rest.startsWith("[") ? rest.indexOf(':', rest.indexOf(']')) : rest.lastIndexOf(':');
            if (colon >= 0) {
                port = parsePort(variable, rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            if (!rest.isEmpty()) host = decode(variable, rest);
        }
        if (params.containsKey("host")) host = params.remove("host");
        if (params.containsKey("port")) port = parsePort(variable, params.remove("port"));
        if (params.containsKey("user")) user = params.remove("user");
        if (params.containsKey("password")) password = params.remove("password");
        if (params.containsKey("dbname")) database = params.remove("dbname");
        if (host.startsWith("/")) {
            throw LifeboatException.config(variable + " names a Unix socket (" + host + "); lifeboat connects over TCP: use host=localhost");
        }
        return new DatabaseUrl(variable, host, port, database, user, password, params);
    }

    private static String decode(String variable, String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LifeboatException.config(variable + " has a malformed %-escape");
        }
    }

    private static int parsePort(String variable, String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw LifeboatException.config(variable + " has a malformed port '" + s + "' (expected 1-65535)");
        }
    }

    /** The same location without its password (as defaults for a URL given in a flag). */
    public DatabaseUrl withoutPassword() {
        return new DatabaseUrl(variable, host, port, database, user, null, params);
    }

    public DatabaseUrl withDatabase(String db) {
        return new DatabaseUrl(variable, host, port, db, user, password, params);
    }

    public String host() { return host; }
    public int port() { return port; }
    public String database() { return database; }
    public String user() { return user; }
    public boolean hasPassword() { return password != null; }
    /** The password, for the JDBC driver and a child's own environment only. */
    public String password() { return password; }
    public Map<String, String> params() { return params; }

    public String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "lifeboat");
        p.setProperty("sslmode", params.getOrDefault("sslmode", "prefer"));
        copy(p, "sslrootcert", "sslrootcert");
        copy(p, "sslcert", "sslcert");
        copy(p, "sslkey", "sslkey");
        copy(p, "connect_timeout", "connectTimeout");
        if (!p.containsKey("connectTimeout")) p.setProperty("connectTimeout", "15");
        return p;
    }

    private void copy(Properties p, String from, String to) {
        String v = params.get(from);
        if (v != null) p.setProperty(to, v);
    }

    /**
     * The PG* variables a libpq child (pg_dump, pg_restore, psql) needs, built from scratch;
     * includes PGPASSWORD (in the child's own environment, never its argv).
     */
    public Map<String, String> childEnv() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("PGHOST", host);
        e.put("PGPORT", Integer.toString(port));
        e.put("PGUSER", user);
        e.put("PGDATABASE", database);
        if (password != null) e.put("PGPASSWORD", password);
        put(e, "PGSSLMODE", params.get("sslmode"));
        put(e, "PGSSLROOTCERT", params.get("sslrootcert"));
        put(e, "PGSSLCERT", params.get("sslcert"));
        put(e, "PGSSLKEY", params.get("sslkey"));
        put(e, "PGCONNECT_TIMEOUT", params.getOrDefault("connect_timeout", "15"));
        e.put("PGAPPNAME", "lifeboat");
        return e;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) m.put(k, v);
    }

    /** The location without the password, for logs and reports. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
