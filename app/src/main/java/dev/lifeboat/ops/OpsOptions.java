package dev.lifeboat.ops;

import java.time.Duration;

/**
 * What {@link Operations} takes from the process rather than from the environment
 * variables; tests replace it. {@link #defaults()}: a terminal when {@code System.console()}
 * exists, a progress log line every 30 s, 5 s per notifier, a shutdown hook that gives the
 * run 30 s to clean up after SIGTERM/SIGINT.
 */
public record OpsOptions(boolean terminal, Duration progressLogInterval, Duration notifyBudget,
                         boolean signalHook, Duration signalGrace) {
    public static OpsOptions defaults() {
        return new OpsOptions(System.console() != null, Duration.ofSeconds(30), Duration.ofSeconds(5), true, Duration.ofSeconds(30));
    }

    public OpsOptions withTerminal(boolean value) {
        return new OpsOptions(value, progressLogInterval, notifyBudget, signalHook, signalGrace);
    }

    public OpsOptions withProgressLogInterval(Duration value) {
        return new OpsOptions(terminal, value, notifyBudget, signalHook, signalGrace);
    }

    public OpsOptions withNotifyBudget(Duration value) {
        return new OpsOptions(terminal, progressLogInterval, value, signalHook, signalGrace);
    }

    public OpsOptions withSignalHook(boolean value) {
        return new OpsOptions(terminal, progressLogInterval, notifyBudget, value, signalGrace);
    }
}
