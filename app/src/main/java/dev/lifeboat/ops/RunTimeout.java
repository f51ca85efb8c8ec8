package dev.lifeboat.ops;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * BACKUP_TIMEOUT's watchdog: when the limit passes it cancels the run
 * ({@link Cancellation.Reason#TIMEOUT}), which then ends with exit 3 "timed out after 6h",
 * so one hung run cannot make every later run exit 75. A zero limit means no watchdog.
 */
public final class RunTimeout implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private RunTimeout(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static RunTimeout start(Duration limit, Cancellation cancellation, String limitText) {
        if (limit.isZero() || limit.isNegative()) return new RunTimeout(null);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lifeboat-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(() -> cancellation.cancel(Cancellation.Reason.TIMEOUT, "timed out after " + limitText + " (BACKUP_TIMEOUT)"),
                limit.toNanos(), TimeUnit.NANOSECONDS);
        return new RunTimeout(timer);
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }
}
