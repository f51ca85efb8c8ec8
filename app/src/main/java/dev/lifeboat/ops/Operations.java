package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Durations;
import dev.lifeboat.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one wrapper every command runs its job through. In this order it:
 * <ol>
 *   <li>reads its settings (BACKUP_TIMEOUT, BACKUP_METRICS_FILE, notifiers): exit 2 if malformed;</li>
 *   <li>takes the {@link LockSpec}'s file locks: exit 75 at once if another run holds one, and
 *       then nothing else happens (no metrics, no notices);</li>
 *   <li>pings the healthcheck's {@code /start} (in the background), starts the BACKUP_TIMEOUT
 *       watchdog and the SIGTERM/SIGINT hook, keeps the last log lines;</li>
 *   <li>runs the job;</li>
 *   <li>writes the metrics file, sends healthcheck, webhook and (on failure) email, each
 *       bounded to a few seconds and never failing the run;</li>
 *   <li>releases the locks and returns the job's result, or rethrows its exception for
 *       {@code Main} to map to an exit code. A timed-out run ends with exit 3
 *       "timed out after 6h (BACKUP_TIMEOUT)", a signalled one with 143/130.</li>
 * </ol>
 *
 * <p>How a command uses it (the job stays plain code; the cross-host advisory lock is taken
 * by the job on the connection it opens anyway):
 * <pre>{@code
 * Env env = root.env();
 * String source = ...;
 * BackupReport report = Operations.of(env, root.clock(), root.err())
 *     .run("backup", source, LockSpec.backup(source), ctx -> {
 *         try (Connection db = ...;
 *              PgAdvisoryLock adv = PgAdvisoryLock.acquire(db, source)) {   // exit 75 across hosts
 *             Process dump = ...;
 *             PendingObject upload = store.create(key, ...);
 *             try (Cancellation.Registration r = ctx.onCancel(() -> { dump.destroyForcibly(); upload.abort(); });
 *                  Progress p = ctx.progress("upload", counter::count)) {
 *                 ...stream...
 *             }
 *             ctx.key(key);
 *             ctx.bytes(storedBytes);
 *             ctx.objects(3);
 *             return new BackupReport(...);
 *         }
 *     });
 * }</pre>
 * verify adds {@code ctx.gauge(Gauge.BACKUP_AGE_SECONDS, age)}; drill adds
 * {@code Gauge.DRILL_RESTORE_SECONDS} and {@code Gauge.DRILL_DIFFERENCES}.
 */
public final class Operations {
    private static final Logger log = LoggerFactory.getLogger(Operations.class);
    private static final int TAIL_LINES = 50;
    private final Env env;
    private final Clock clock;
    private final PrintStream err;
    private final OpsOptions options;

    public Operations(Env env, Clock clock, PrintStream err, OpsOptions options) {
        this.env = env;
        this.clock = clock;
        this.err = err;
        this.options = options;
    }

    /** With {@link OpsOptions#defaults()}: the real terminal, 30 s log interval, signal hook. */
    public static Operations of(Env env, Clock clock, PrintStream err) {
        return new Operations(env, clock, err, OpsOptions.defaults());
    }

    /**
     * Runs {@code job} for {@code command} on {@code source} (a database's source name, a live
     * bucket, or "all"), holding {@code locks}. Returns the job's result or rethrows its failure.
     */
    public <T> T run(String command, String source, LockSpec locks, Job<T> job) throws Exception {
        Duration limit = env.duration("BACKUP_TIMEOUT", "6h");
        Optional<MetricsFile> metrics = env.get("BACKUP_METRICS_FILE").map(p -> new MetricsFile(Path.of(p)));
        try (Notifications notices = Notifications.from(env, command, options.notifyBudget())) {
            Instant started = clock.instant();
            long startNanos = System.nanoTime();
            RunLocks held = RunLocks.acquire(locks, env, command, started);
            Cancellation cancellation = new Cancellation(Thread.currentThread());
            SignalCleanup signals = options.signalHook() ? SignalCleanup.install(cancellation, options.signalGrace()) : null;
            LogTail tail = LogTail.captureStderr(TAIL_LINES);
            RunContext ctx = new RunContext(command, source, started, cancellation,
                    new Progress.Output(options.terminal(), err, options.progressLogInterval()));
            T result = null;
            Throwable failure = null;
            try {
                log.info("{} {}: started", command, source);
                notices.started(command, source);
                try (RunTimeout watchdog = RunTimeout.start(limit, cancellation, Durations.format(limit))) {
                    result = job.run(ctx);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    cancellation.end();
                    ctx.closeProgress();
                }
                failure = settle(failure, cancellation);
                RunOutcome outcome = outcome(ctx, started.plusNanos(System.nanoTime() - startNanos), failure);
                if (failure == null) {
                    log.info("{} {}: done in {}", command, source, Sizes.duration(outcome.duration()));
                } else {
                    log.info("{} {}: failed after {} (exit {})", command, source, Sizes.duration(outcome.duration()), outcome.exitCode());
                }
                metrics.ifPresent(m -> writeMetrics(m, outcome));
                notices.finished(outcome, tailText(tail, outcome));
            } finally {
                tail.close();
                held.close();
                if (signals != null) signals.close();
            }
            if (failure instanceof Exception e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
            return result;
        }
    }

    /** A cancelled run ends with the cancellation's failure, whatever the job threw on the way out. */
    private static Throwable settle(Throwable failure, Cancellation cancellation) {
        LifeboatException stopped = cancellation.failure();
        if (stopped == null) return failure;
        if (failure != null) stopped.initCause(failure);
        return stopped;
    }

    /** The end time is the start (from the clock) plus the time measured, so durations are real even with a fixed clock. */
    private RunOutcome outcome(RunContext ctx, Instant finished, Throwable failure) {
        int exit = ExitCode.OK.code;
        String message = "ok";
        if (failure instanceof LifeboatException le) {
            exit = le.exitCode().code;
            message = le.getMessage();
        } else if (failure != null) {
            exit = ExitCode.FAILED.code;
            message = "unexpected error: " + failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return new RunOutcome(ctx.command(), ctx.source(), Host.name(), ctx.started(), finished, failure == null, exit,
                env.redact(message), ctx.key(), ctx.bytes(), ctx.objects(), ctx.gauges());
    }

    private void writeMetrics(MetricsFile metrics, RunOutcome outcome) {
        try {
            metrics.record(outcome);
        } catch (Exception e) {
            log.warn("cannot write BACKUP_METRICS_FILE {}: {}", metrics.path(), env.redact(String.valueOf(e.getMessage())));
        }
    }

    private String tailText(LogTail tail, RunOutcome outcome) {
        StringBuilder b = new StringBuilder();
        for (String line : tail.lines()) b.append(env.redact(line)).append('\n');
        if (!outcome.success()) b.append("lifeboat: ").append(outcome.message()).append('\n');
        return b.toString();
    }
}
