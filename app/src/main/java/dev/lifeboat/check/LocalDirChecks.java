package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.ops.LockDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code lock-dir} and {@code metrics-file}: the directories lifeboat writes on this host take a file (made and removed again). */
final class LocalDirChecks {
    private LocalDirChecks() {}

    static CheckResult lockDir(Env env) {
        try {
            Path dir = LockDir.resolve(env);
            probe(dir);
            return CheckResult.ok("lock-dir", dir + " is writable");
        } catch (LifeboatException | IOException e) {
            return CheckResult.fail("lock-dir", "the lock directory is not writable: " + e.getMessage(),
                    "set BACKUP_LOCK_DIR to a directory this user owns (the same on every run of this host)");
        }
    }

    static CheckResult metricsFile(Env env) {
        if (env.get("BACKUP_METRICS_FILE").isEmpty()) return CheckResult.skip("metrics-file", "BACKUP_METRICS_FILE is not set");
        Path file = Path.of(env.get("BACKUP_METRICS_FILE").get()).toAbsolutePath();
        Path dir = file.getParent();
        try {
            if (!Files.isDirectory(dir)) throw new IOException(dir + " is not a directory");
            probe(dir);
            if (Files.exists(file) && !Files.isWritable(file)) throw new IOException(file + " exists and is not writable");
            return CheckResult.ok("metrics-file", dir + " is writable (" + file.getFileName() + " is replaced atomically there)");
        } catch (IOException e) {
            return CheckResult.fail("metrics-file", "BACKUP_METRICS_FILE=" + file + ": " + e.getMessage(),
                    "create the directory and let this user write to it (node_exporter's textfile directory), or fix BACKUP_METRICS_FILE");
        }
    }

    private static void probe(Path dir) throws IOException {
        Path f = Files.createTempFile(dir, ".lifeboat-check-", ".tmp");
        Files.delete(f);
    }
}
