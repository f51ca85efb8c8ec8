package dev.lifeboat.harness;

import dev.lifeboat.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the lifeboat command line as a test would type it: in-process through
 * {@link Main#run} with its own environment map (fast), or as a child JVM (when a test must
 * see the real process: logs on stderr, argv and environment of children, signals).
 */
public final class Lifeboat {
    public record Result(int exit, String out, String err) {
        /** stdout and stderr together, for "appears nowhere" assertions. */
        public String all() {
            return out + "\n" + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Lifeboat() {}

    /** In-process. The environment is exactly {@code env} (plus PATH and HOME so children work). */
    public static Result run(Map<String, String> env, String... args) {
        return runAt(java.time.Clock.systemUTC(), env, args);
    }

    /** In-process, on {@code clock}. */
    public static Result runAt(java.time.Clock clock, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> full = withBasics(env);
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(o, e, full, clock, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** As a child JVM with exactly {@code env} (plus PATH, HOME); waits for it. */
    public static Result spawn(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = start(env, args);
        p.getOutputStream().close();
        int code = p.waitFor();
        return new Result(code, read(p, "out"), read(p, "err"));
    }

    /** Starts a child JVM; stdout and stderr go to files readable with {@link #read}. */
    public static Process start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Duser.timezone=UTC", "-cp", System.getProperty("java.class.path"), "dev.lifeboat.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(withBasics(env));
        Path dir = Scratch.dir("lifeboat-child-");
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        OUTPUTS.put(p.pid(), dir);
        return p;
    }

    private static final Map<Long, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    public static String read(Process p, String which) throws IOException {
        return Files.readString(OUTPUTS.get(p.pid()).resolve(which), StandardCharsets.UTF_8);
    }

    static Map<String, String> withBasics(Map<String, String> env) {
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        full.putIfAbsent("HOME", System.getProperty("user.home"));
        return full;
    }

    /** A fresh directory for locks, so tests never meet each other's or a real cron's lock files. */
    /**
     * The environment of a restore test: {@code databaseUrl}, a fresh lock directory, the
     * directory store {@code store} without encryption, and {@code spool} as BACKUP_SPOOL_DIR.
     */
    public static Map<String, String> restoreEnv(String databaseUrl, java.nio.file.Path store, java.nio.file.Path spool)
            throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("BACKUP_LOCK_DIR", lockDir());
        env.put("BACKUP_DIR", store.toString());
        env.put("BACKUP_ENCRYPTION", "off");
        env.put("BACKUP_SPOOL_DIR", spool.toString());
        return env;
    }

    /** Runs {@code backup} with {@code env} (whose BACKUP_DIR is {@code store}), which must succeed; the manifest's key. */
    public static String backupToDir(Map<String, String> env, java.nio.file.Path store) throws IOException {
        Result r = run(env, "backup");
        if (r.exit() != 0) throw new AssertionError("backup failed: " + r);
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(store)) {
            return store.relativize(files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow()).toString();
        }
    }

    public static String lockDir() throws IOException {
        return Scratch.dir("lifeboat-locks-").toString();
    }
}
