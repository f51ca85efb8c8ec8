package dev.lifeboat.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM/SIGINT: a JVM shutdown hook that cancels the run ({@link Cancellation.Reason#SIGNAL})
 * and waits, at most {@code grace}, until the run has cleaned up (upload aborted, metrics and
 * notices sent, locks released). The JVM then exits with 143 (SIGTERM) or 130 (SIGINT).
 */
public final class SignalCleanup implements AutoCloseable {
    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);

    private SignalCleanup(Cancellation cancellation, Duration grace) {
        this.hook = new Thread(() -> {
            if (cancellation.cancel(Cancellation.Reason.SIGNAL, "stopped by a signal (SIGTERM or SIGINT)")) {
                try {
                    done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "lifeboat-signal");
    }

    public static SignalCleanup install(Cancellation cancellation, Duration grace) {
        SignalCleanup s = new SignalCleanup(cancellation, grace);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** The run has cleaned up: the hook may let the JVM exit; outside a shutdown, removes the hook. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that done is counted down
        }
    }
}
