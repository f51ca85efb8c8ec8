package dev.lifeboat.ops;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void withoutATerminalProgressIsLoggedAtTheInterval() throws Exception {
        AtomicLong bytes = new AtomicLong();
        Duration interval = Duration.ofMillis(150);
        List<Long> times;
        String finalLine;
        try (StderrCapture log = new StderrCapture()) {
            try (Progress p = new Progress.Output(false, null, interval).start("upload", bytes::get, 10L << 20)) {
                bytes.set(5L << 20);
                times = log.await(l -> l.contains("Progress - upload: "), 3, Duration.ofSeconds(10));
            }
            finalLine = log.lines().get(log.lines().size() - 1);
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("upload: 5.0 MiB of 10.0 MiB (50%)")), log.text());
        }
        for (int i = 1; i < times.size(); i++) {
            long gapMillis = (times.get(i) - times.get(i - 1)) / 1_000_000;
            assertTrue(gapMillis >= 100, "lines " + gapMillis + " ms apart, interval is 150 ms");
        }
        assertTrue(finalLine.contains("upload: 5.0 MiB in ") && finalLine.contains("average"), finalLine);
    }

    @Test
    void onATerminalOneLineRedrawsItselfAndCloseEndsIt() throws Exception {
        CountDownLatch draws = new CountDownLatch(2);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8) {
            @Override
            public void print(String s) {
                super.print(s);
                draws.countDown();
            }
        };
        AtomicLong bytes = new AtomicLong(2048);
        try (Progress p = new Progress.Output(true, terminal, Duration.ofDays(1)).start("download", bytes::get, -1)) {
            assertTrue(draws.await(10, TimeUnit.SECONDS));
        }
        String out = screen.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rdownload: 2.0 KiB, "), out);
        assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one final newline only: " + out);
        assertTrue(out.contains("\rdownload: 2.0 KiB in "), out);
        assertEquals(0, out.chars().filter(c -> c == '\n').count() - 1);
    }
}
