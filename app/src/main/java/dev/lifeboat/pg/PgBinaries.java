package dev.lifeboat.pg;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where pg_dump, pg_dumpall and pg_restore are: {@code PG_BIN_DIR}, else the lowest installed
 * {@code /usr/lib/postgresql/<major>/bin} whose major is at least the server's (so an older
 * pg_restore elsewhere can still read the dump), else the PATH.
 */
public record PgBinaries(Path dir, PgVersion version) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    public Path pgDump() { return dir.resolve("pg_dump"); }
    public Path pgDumpAll() { return dir.resolve("pg_dumpall"); }
    public Path pgRestore() { return dir.resolve("pg_restore"); }
    public Path psql() { return dir.resolve("psql"); }

    /** The binaries for a server of version {@code server}; exit 2 naming both versions when none fits. */
    public static PgBinaries forServer(Env env, PgVersion server) {
        return forServer(env, server, DEBIAN_ROOT, true);
    }

    /** As above, looking for installed versions under {@code root} (tests), and on the PATH when asked. */
    static PgBinaries forServer(Env env, PgVersion server, Path root, boolean searchPath) {
        Optional<String> configured = env.get("PG_BIN_DIR");
        if (configured.isPresent()) {
            Path dir = Path.of(configured.get());
            if (!Files.isExecutable(dir.resolve("pg_dump"))) {
                throw LifeboatException.config("PG_BIN_DIR=" + dir + " has no executable pg_dump");
            }
            PgBinaries b = new PgBinaries(dir, versionOf(dir.resolve("pg_dump")));
            if (b.version.major() < server.major()) {
                throw LifeboatException.config("pg_dump " + b.version + " in PG_BIN_DIR=" + dir
                        + " is older than the server (" + server + "); it cannot dump it");
            }
            return b;
        }
        List<PgBinaries> candidates = new ArrayList<>(installed(root));
        if (searchPath) pathDir().ifPresent(dir -> candidates.add(new PgBinaries(dir, versionOf(dir.resolve("pg_dump")))));
        candidates.sort(Comparator.comparing(PgBinaries::version));
        for (PgBinaries b : candidates) {
            if (b.version.major() >= server.major()) return b;
        }
        String found = candidates.isEmpty() ? "no pg_dump found" : "found pg_dump " + candidates.get(candidates.size() - 1).version;
        throw LifeboatException.config("no pg_dump for server " + server + " (" + found
                + "); install postgresql-client-" + server.major() + " or set PG_BIN_DIR");
    }

    private static List<PgBinaries> installed(Path root) {
        List<PgBinaries> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.map(d -> d.resolve("bin")).filter(d -> Files.isExecutable(d.resolve("pg_dump")))
                    .forEach(d -> out.add(new PgBinaries(d, versionOf(d.resolve("pg_dump")))));
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static Optional<Path> pathDir() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String p : path.split(":")) {
            Path candidate = Path.of(p).resolve("pg_dump");
            if (Files.isExecutable(candidate) && !p.isEmpty()) {
                try {
                    Path real = candidate.toRealPath();
                    if (real.getParent().getParent() != null && real.startsWith(DEBIAN_ROOT)) return Optional.empty();
                    if (real.getFileName().toString().equals("pg_dump")) return Optional.of(real.getParent());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code <program> --version}. */
    public static PgVersion versionOf(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw LifeboatException.config(program + " --version failed: " + out);
            }
            return PgVersion.parse(out);
        } catch (IOException | IllegalArgumentException e) {
            throw LifeboatException.config("cannot run " + program + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LifeboatException.failed("interrupted");
        }
    }
}
