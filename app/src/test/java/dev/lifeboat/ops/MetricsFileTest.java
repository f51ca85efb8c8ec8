package dev.lifeboat.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsFileTest {
    @TempDir
    Path dir;

    private static RunOutcome run(String command, String source, boolean ok, long end) {
        Instant finished = Instant.ofEpochSecond(end);
        return new RunOutcome(command, source, "h", finished.minusMillis(1500), finished, ok, ok ? 0 : 3, "m", null, 10, 1, Map.of());
    }

    @Test
    void concurrentWritersOfDifferentCommandsKeepEachOthersSeries() throws Exception {
        MetricsFile file = new MetricsFile(dir.resolve("lifeboat.prom"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            all.add(pool.submit(() -> {
                file.record(run("cmd" + (n % 8), "src" + (n / 8), true, 1000 + n));
                return null;
            }));
        }
        for (Future<?> f : all) f.get();
        pool.shutdown();
        Map<String, Double> m = PromText.parse(Files.readString(file.path()));
        for (int i = 0; i < 40; i++) {
            assertEquals(1000.0 + i, m.get(PromText.key("lifeboat_last_run_timestamp_seconds", "cmd" + (i % 8), "src" + (i / 8))));
        }
        assertEquals(40 * 6, m.size());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())), "node_exporter must read it");
        try (var leftovers = Files.list(dir)) {
            assertEquals(List.of(".lifeboat.prom.lock", "lifeboat.prom"), leftovers.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void labelValuesAreEscapedAndReadBack() throws Exception {
        MetricsFile file = new MetricsFile(dir.resolve("x.prom"));
        file.record(run("backup", "we\"ird\\name", true, 2000));
        file.record(run("verify", "plain", false, 2001));
        String text = Files.readString(file.path());
        assertTrue(text.contains("source=\"we\\\"ird\\\\name\""), text);
        Map<String, Double> m = PromText.parse(text);
        assertEquals(1.5, m.get(PromText.key("lifeboat_last_run_duration_seconds", "backup", "we\\\"ird\\\\name")));
        assertEquals(2000.0, m.get(PromText.key("lifeboat_last_success_timestamp_seconds", "backup", "we\\\"ird\\\\name")));
        assertEquals(0.0, m.get(PromText.key("lifeboat_last_success_timestamp_seconds", "verify", "plain")));
    }

    @Test
    void theStrictParserRejectsWhatPrometheusWould() {
        assertThrows(AssertionError.class, () -> PromText.parse("a 1"));
        assertThrows(AssertionError.class, () -> PromText.parse("a{x=\"1\"} one\n"));
        assertThrows(AssertionError.class, () -> PromText.parse("a{x=1} 1\n"));
        assertThrows(AssertionError.class, () -> PromText.parse("a 1\nb 1\na 2\n"));
        assertThrows(AssertionError.class, () -> PromText.parse("a 1\n# TYPE a gauge\n"));
        assertThrows(AssertionError.class, () -> PromText.parse("a{x=\"\\q\"} 1\n"));
        assertEquals(Map.of("a{x=1}", 1.5e3), PromText.parse("# HELP a h\n# TYPE a gauge\na{x=\"1\",} 1.5e3 1700000000000\n"));
    }
}
