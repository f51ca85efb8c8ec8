package dev.lifeboat.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SignalCleanupTest {
    @TempDir
    Path dir;

    @Test
    void sigtermAbortsTheJobWritesMetricsReleasesLocksThenExits143() throws Exception {
        Path metrics = dir.resolve("m.prom");
        try (ChildJvm child = new ChildJvm(SignalJobMain.class, dir.resolve("locks").toString(), metrics.toString())) {
            child.awaitLine("ready");
            // SIGTERM through kill(1): Process.destroy() would also close our end of its stdout
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(child.process.pid())).start().waitFor());
            assertEquals("aborted upload", child.awaitLine("aborted"));
            assertEquals(143, child.process.waitFor());
        }
        Map<String, Double> m = PromText.parse(Files.readString(metrics));
        assertEquals(0.0, m.get(PromText.key("lifeboat_last_run_status", "backup", "shop")));
        assertEquals(0.0, m.get(PromText.key("lifeboat_last_success_timestamp_seconds", "backup", "shop")), "never succeeded");
        try (RunLock lock = RunLock.acquire(dir.resolve("locks"), "backup-shop", LockSpec.Mode.EXCLUSIVE, "backup", Instant.now())) {
            assertEquals("backup-shop", lock.name());
        }
    }
}
