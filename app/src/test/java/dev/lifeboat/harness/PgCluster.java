package dev.lifeboat.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: initdb in a temporary directory (scram-sha-256,
 * superuser {@code postgres} with a random password, UTF8, locale C.UTF-8), listening on
 * 127.0.0.1 on a free port with its unix socket inside the directory. As root every cluster
 * command runs as {@code postgres} through {@code runuser}. Binaries come from the highest
 * {@code /usr/lib/postgresql/<major>/bin}, else PATH.
 *
 * <p>{@link #start()} gives a private cluster (close it); {@link #shared()} gives one cluster for
 * the whole test JVM, started on first use and stopped at JVM exit. Test classes using the
 * shared cluster must create their own databases (unique names) and drop them.
 */
public final class PgCluster implements AutoCloseable {
    private static PgCluster shared;

    private final Path dir;
    private final Path binDir;
    private final String password;
    private int port;
    private final boolean asPostgres;
    private boolean stopped;

    private PgCluster(Path dir, Path binDir, String password, int port, boolean asPostgres) {
        this.dir = dir;
        this.binDir = binDir;
        this.password = password;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** initdb + start, waiting until the server accepts connections. */
    public static PgCluster start() throws IOException {
        Path bin = findBinDir();
        boolean root = "root".equals(System.getProperty("user.name")) || isUidZero();
        Path dir = Files.createTempDirectory("lifeboat-pg-");
        String password = HexFormat.of().formatHex(random(16));
        Files.writeString(dir.resolve("pwfile"), password + "\n");
        Files.setPosixFilePermissions(dir.resolve("pwfile"), PosixFilePermissions.fromString("rw-------"));
        if (root) chownTree(dir, "postgres");
        PgCluster c = new PgCluster(dir, bin, password, freePort(), root);
        try {
            c.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--pwfile=" + dir.resolve("pwfile"), "-A", "scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                    "--no-sync", "--no-instructions"), true);
            Files.delete(dir.resolve("pwfile"));
            for (int attempt = 1; ; attempt++) {
                try {
                    c.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                            "-w", "-t", "60", "-o", "-p " + c.port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"), true);
                    break;
                } catch (IOException e) {
                    if (attempt == 3 || !String.valueOf(e.getMessage()).contains("could not bind")) throw e;
                    c.port = freePort(); // another process took the port between probe and start
                }
            }
            c.waitReady();
            return c;
        } catch (IOException | RuntimeException e) {
            c.stop();
            throw e;
        }
    }

    /** One cluster per test JVM; stopped by a shutdown hook. */
    public static synchronized PgCluster shared() throws IOException {
        if (shared == null) {
            shared = start();
            PgCluster c = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
        }
        return shared;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String password() {
        return password;
    }

    public Path binDir() {
        return binDir;
    }

    /** The data directory's parent (log file: {@code dir().resolve("log")}). */
    public Path dir() {
        return dir;
    }

    /** {@code postgresql://postgres:<password>@127.0.0.1:<port>/postgres}. */
    public String url() {
        return url("postgres");
    }

    public String url(String db) {
        return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/" + db;
    }

    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db;
    }

    /** A JDBC connection as postgres; the caller closes it. */
    public Connection jdbc(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), "postgres", password);
    }

    public void createDatabase(String name) throws SQLException {
        execute("postgres", "CREATE DATABASE " + ident(name));
    }

    /** Drops the database if it exists, ending its connections. */
    public void dropDatabase(String name) throws SQLException {
        execute("postgres", "DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
    }

    /** {@code CREATE ROLE name [LOGIN PASSWORD 'pw'] attrs...}; password null for a role without login. */
    public void createRole(String name, String password, String... attributes) throws SQLException {
        String sql = "CREATE ROLE " + ident(name) + (password == null ? "" : " LOGIN PASSWORD '" + password.replace("'", "''") + "'")
                + (attributes.length == 0 ? "" : " " + String.join(" ", attributes));
        execute("postgres", sql);
    }

    /** Runs SQL through JDBC (no result). */
    public void execute(String db, String sql) throws SQLException {
        try (Connection c = jdbc(db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs SQL with psql -X -At -v ON_ERROR_STOP=1 and returns its stdout (unaligned, tuples only). */
    public String psql(String db, String sql) throws IOException {
        return runPsql(db, List.of("-At", "-c", sql));
    }

    /** Loads a SQL file with psql -v ON_ERROR_STOP=1 -f. */
    public void loadSql(String db, Path file) throws IOException {
        runPsql(db, List.of("-q", "-f", file.toAbsolutePath().toString()));
    }

    /** Loads a classpath resource (e.g. "/fixtures/pagila.sql") with psql -v ON_ERROR_STOP=1 -f. */
    public void loadSql(String db, String resource) throws IOException {
        URL url = PgCluster.class.getResource(resource);
        if (url == null) throw new IOException("no such test resource: " + resource);
        Path tmp = Files.createTempFile("lifeboat-sql-", ".sql");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            loadSql(db, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private String runPsql(String db, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binDir.resolve("psql").toString(), "-X", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", db));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PGPASSWORD", password); // the child's own environment, never argv
        return Exec.run(pb, "psql");
    }

    /** pg_ctl stop -m fast and delete the directory; idempotent. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            try {
                run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), false);
            } catch (IOException | RuntimeException e) {
                System.err.println("PgCluster: pg_ctl stop failed: " + e.getMessage());
            }
        }
        deleteTree(dir);
    }

    @Override
    public void close() {
        stop();
    }

    /** Polls pg_isready until the server answers (pg_ctl -w already waited; this checks TCP too). */
    private void waitReady() throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            ProcessBuilder pb = new ProcessBuilder(binDir.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-U", "postgres", "-d", "postgres", "-t", "2");
            try {
                Exec.run(pb, "pg_isready");
                return;
            } catch (IOException e) {
                last = e.getMessage();
            }
        }
        throw new IOException("PostgreSQL did not become ready on port " + port + ": " + last + "\n" + logTail());
    }

    private String run(List<String> command, boolean showLog) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        try {
            return Exec.run(pb, command.get(0).substring(command.get(0).lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw showLog ? new IOException(e.getMessage() + "\n" + logTail(), e) : e;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    static Path findBinDir() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> s = Files.list(base)) {
                var best = s.filter(p -> p.getFileName().toString().matches("\\d+") && Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString())));
                if (best.isPresent()) return best.get().resolve("bin");
            }
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "initdb"))) return Path.of(d);
        }
        throw new IOException("initdb not found under /usr/lib/postgresql/*/bin or PATH (install postgresql; see scripts/test.sh)");
    }

    private static boolean isUidZero() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void chownTree(Path dir, String user) throws IOException {
        UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) Files.setOwner(p, owner);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** Deletes a directory tree, ignoring what cannot be deleted. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
