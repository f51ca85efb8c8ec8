package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run is stopped from outside (timeout watchdog, SIGTERM/SIGINT): abort actions the job
 * registered run (newest first: destroy pg_dump, abort the upload, …) and the job thread is
 * interrupted. A job that loops checks {@link #throwIfCancelled()}. Once the run has ended
 * ({@link #end()}) nothing more happens.
 */
public final class Cancellation {
    private static final Logger log = LoggerFactory.getLogger(Cancellation.class);

    public enum Reason { TIMEOUT, SIGNAL }

    /** Undoes a registration; closing twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Thread jobThread;
    private final List<Runnable> actions = new ArrayList<>();
    private Reason reason;
    private String message;
    private boolean ended;

    public Cancellation(Thread jobThread) {
        this.jobThread = jobThread;
    }

    /** Runs {@code abort} when the run is cancelled (at once if it already was). */
    public Registration onCancel(Runnable abort) {
        synchronized (this) {
            if (reason == null) {
                actions.add(abort);
                return () -> {
                    synchronized (Cancellation.this) {
                        actions.remove(abort);
                    }
                };
            }
        }
        runQuietly(abort);
        return () -> {};
    }

    /** Cancels the run once; later calls do nothing. Returns whether this call cancelled it. */
    public boolean cancel(Reason why, String text) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null || ended) return false;
            reason = why;
            message = text;
            toRun = new ArrayList<>(actions);
            actions.clear();
        }
        log.warn("{}: stopping the run", text);
        for (int i = toRun.size() - 1; i >= 0; i--) runQuietly(toRun.get(i));
        synchronized (this) {
            if (!ended) jobThread.interrupt();
        }
        return true;
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    public synchronized Reason reason() {
        return reason;
    }

    /** Throws the run's end (exit 3 after a timeout, 143 after a signal) if it was cancelled. */
    public void throwIfCancelled() {
        LifeboatException e = failure();
        if (e != null) throw e;
    }

    /** The failure a cancelled run ends with, or null. */
    public synchronized LifeboatException failure() {
        if (reason == null) return null;
        return reason == Reason.TIMEOUT ? LifeboatException.failed(message)
                : new LifeboatException(ExitCode.TERMINATED, message);
    }

    /** The run is over: no more interrupts; clears a pending interrupt of the calling thread. */
    public void end() {
        synchronized (this) {
            ended = true;
            actions.clear();
        }
        Thread.interrupted();
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("an abort action failed: {}", e.getClass().getSimpleName());
        }
    }
}
