package dev.lifeboat.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** Test helper: a PostgreSQL 15 cluster in a temporary directory (as user postgres when run as root). */
final class ThrowawayPostgres implements AutoCloseable {
    private static final String BIN = "/usr/lib/postgresql/15/bin/";
    private final Path dir;
    private final int port;

    ThrowawayPostgres() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("lifeboat-ops-pg");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) exec(List.of("chown", "postgres", dir.toString()), false);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("data");
        exec(List.of(BIN + "initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"), root);
        exec(List.of(BIN + "pg_ctl", "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), root);
    }

    Connection connect(String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static void exec(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }

    @Override
    public void close() throws Exception {
        try {
            exec(List.of(BIN + "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"),
                    "root".equals(System.getProperty("user.name")));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
