package dev.lifeboat.ops;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BACKUP_METRICS_FILE: Prometheus text format for node_exporter's textfile collector. After
 * every run the file is read, this command+source's series are replaced, every other series
 * is kept, and the result is written to a temporary file in the same directory and renamed
 * over the old one (readers never see half a file). The read-modify-write happens under an
 * exclusive lock on {@code .<file name>.lock} beside it, so concurrent runs of different
 * subcommands never lose each other's series.
 *
 * <p>On failure {@code lifeboat_last_success_timestamp_seconds} keeps its previous value (0
 * when the command never succeeded for the source, so "time() - last success" alerts at once).
 */
public final class MetricsFile {
    private static final long LOCK_WAIT_MILLIS = 10_000;
    private final Path file;

    public MetricsFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    public void record(RunOutcome run) throws IOException {
        Path dir = file.getParent();
        Path lockFile = dir.resolve("." + file.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock(ch)) {
            List<PromSample> samples = new ArrayList<>();
            double lastSuccess = 0;
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    PromSample s = PromSample.parse(line);
                    if (s == null || !s.name().startsWith("lifeboat_")) continue;
                    if (run.command().equals(s.labels().get("command")) && run.source().equals(s.labels().get("source"))) {
                        if (s.name().equals(PromSample.LAST_SUCCESS)) lastSuccess = s.value();
                        continue;
                    }
                    samples.add(s);
                }
            }
            samples.addAll(PromSample.of(run, lastSuccess));
            write(samples);
        }
    }

    private void write(List<PromSample> samples) throws IOException {
        Map<String, List<PromSample>> byName = PromSample.group(samples);
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, List<PromSample>> e : byName.entrySet()) {
                    w.write("# HELP " + e.getKey() + " " + PromSample.help(e.getKey()) + "\n");
                    w.write("# TYPE " + e.getKey() + " gauge\n");
                    for (PromSample s : e.getValue()) w.write(s.render() + "\n");
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileLock lock(FileChannel ch) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        while (true) {
            try {
                FileLock l = ch.tryLock();
                if (l != null) return l;
            } catch (OverlappingFileLockException e) {
                // another thread of this JVM writes the file: wait for it
            }
            if (System.currentTimeMillis() > deadline) throw new IOException("metrics file lock still held after 10 s");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the metrics file lock");
            }
        }
    }

    static Map<String, String> labels(String command, String source) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("source", source);
        return m;
    }
}
