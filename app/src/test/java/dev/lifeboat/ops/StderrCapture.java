package dev.lifeboat.ops;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Test helper: tees System.err (where slf4j-simple logs) and lets a test wait for lines. */
final class StderrCapture implements AutoCloseable {
    private final PrintStream previous = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();

    StderrCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                previous.write(b);
                take((byte) b);
            }
        }, true, StandardCharsets.UTF_8));
    }

    private synchronized void take(byte b) {
        if (b == '\n') {
            lines.add(buffer.toString(StandardCharsets.UTF_8));
            times.add(System.nanoTime());
            buffer.reset();
            notifyAll();
        } else {
            buffer.write(b);
        }
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    synchronized String text() {
        return String.join("\n", lines) + "\n" + buffer.toString(StandardCharsets.UTF_8);
    }

    /** Waits until {@code count} lines match; returns their arrival times (nanoTime). */
    synchronized List<Long> await(Predicate<String> match, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Long> found = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) if (match.test(lines.get(i))) found.add(times.get(i));
            if (found.size() >= count) return found;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("only " + found.size() + " of " + count + " lines arrived; log:\n" + text());
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(previous);
    }
}
