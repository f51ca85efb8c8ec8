package dev.lifeboat.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of one long transfer, fed by a byte counter the pipeline already has (e.g.
 * {@code CountingOutputStream::count}; reading it must be cheap and thread-safe). On a
 * terminal it redraws one {@code \r} line on stderr four times a second; without one (cron)
 * it logs a line every {@code logInterval} (30 s). A daemon timer drives it; {@link #close()}
 * stops the timer and prints or logs the final line.
 *
 * <pre>upload: 1.2 GiB of 3.0 GiB (40%), 48.1 MiB/s, elapsed 0:00:26</pre>
 */
public final class Progress implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    private static final long LIVE_MILLIS = 250;

    /** Where progress goes: a terminal's stderr, or the log at an interval. */
    public record Output(boolean terminal, PrintStream stream, Duration logInterval) {
        public Progress start(String stage, LongSupplier bytes, long totalBytes) {
            return new Progress(this, stage, bytes, totalBytes);
        }
    }

    private final Output output;
    private final String stage;
    private final LongSupplier bytes;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private long lastBytes;
    private long lastNanos = startNanos;
    private int lastWidth;
    private boolean closed;

    private Progress(Output output, String stage, LongSupplier bytes, long total) {
        this.output = output;
        this.stage = stage;
        this.bytes = bytes;
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-progress");
            t.setDaemon(true);
            return t;
        });
        long period = output.terminal() ? LIVE_MILLIS : Math.max(1, output.logInterval().toMillis());
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        if (closed) return;
        try {
            long now = System.nanoTime();
            long n = bytes.getAsLong();
            double rate = (n - lastBytes) / Math.max(1e-9, (now - lastNanos) / 1e9);
            lastBytes = n;
            lastNanos = now;
            String line = line(n, rate, now);
            if (output.terminal()) {
                draw(line, false);
            } else {
                log.info(line);
            }
        } catch (RuntimeException e) {
            log.debug("progress counter failed: {}", e.toString());
        }
    }

    private String line(long n, double rate, long now) {
        String of = total > 0 ? String.format(Locale.ROOT, " of %s (%d%%)", Sizes.bytes(total), Math.min(100, n * 100 / total)) : "";
        return stage + ": " + Sizes.bytes(n) + of + ", " + Sizes.rate(rate) + ", elapsed " + Sizes.duration(Duration.ofNanos(now - startNanos));
    }

    private void draw(String line, boolean last) {
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastWidth; i++) b.append(' ');
        lastWidth = line.length();
        if (last) b.append('\n');
        output.stream().print(b.toString());
        output.stream().flush();
    }

    /** Stops the timer and reports the total and the average rate. */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            if (closed) return;
            closed = true;
            long now = System.nanoTime();
            long n = bytes.getAsLong();
            String line = stage + ": " + Sizes.bytes(n) + " in " + Sizes.duration(Duration.ofNanos(now - startNanos))
                    + ", average " + Sizes.rate(n / Math.max(1e-9, (now - startNanos) / 1e9));
            if (output.terminal()) {
                draw(line, true);
            } else {
                log.info(line);
            }
        }
    }
}
