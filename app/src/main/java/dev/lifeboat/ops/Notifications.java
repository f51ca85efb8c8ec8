package dev.lifeboat.ops;

import dev.lifeboat.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * All configured notifiers of one run (healthcheck, webhook, email). Each call runs on a
 * daemon thread; {@link #started} does not wait at all, {@link #finished} waits for all
 * notifiers together at most about one {@code budget}, plus what is left of a start ping's
 * own budget if it is still in flight (so a slow endpoint still sees start before finish;
 * only a run shorter than the budget against a hanging endpoint waits up to twice it). A notifier that fails, answers with an
 * error or hangs costs a warning in the log, never the run.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    private final List<Notifier> notifiers;
    private final Env env;
    private final Duration budget;
    private final ExecutorService pool;
    private final List<CompletableFuture<Void>> starts = new ArrayList<>();
    private long startDeadline;

    Notifications(List<Notifier> notifiers, Env env, Duration budget) {
        this.notifiers = List.copyOf(notifiers);
        this.env = env;
        this.budget = budget;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lifeboat-notify");
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads the notifier settings; a malformed one is a configuration error (exit 2). */
    public static Notifications from(Env env, String command, Duration budget) {
        List<Notifier> list = new ArrayList<>();
        Duration connect = budget.compareTo(Duration.ofSeconds(3)) < 0 ? budget : Duration.ofSeconds(3);
        HttpClient[] shared = new HttpClient[1];
        Supplier<HttpClient> client = () -> shared[0] != null ? shared[0] : (shared[0] = Http.client(connect));
        Healthcheck.from(env, command, client, budget).ifPresent(list::add);
        Webhook.from(env, client, budget).ifPresent(list::add);
        Email.from(env, budget).ifPresent(list::add);
        return new Notifications(list, env, budget);
    }

    public boolean isEmpty() {
        return notifiers.isEmpty();
    }

    public void started(String command, String source) {
        startDeadline = System.nanoTime() + budget.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (Notifier n : notifiers) {
            starts.add(CompletableFuture.runAsync(() -> call(n, "start", () -> n.started(command, source)), pool));
        }
    }

    public void finished(RunOutcome outcome, String logTail) {
        for (CompletableFuture<Void> s : starts) await(s, startDeadline); // keep start before finish
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Notifier n : notifiers) {
            running.add(CompletableFuture.runAsync(() -> call(n, "finish", () -> n.finished(outcome, logTail)), pool));
        }
        long end = System.nanoTime() + budget.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        for (int i = 0; i < running.size(); i++) {
            if (!await(running.get(i), end)) {
                log.warn("{} notification still not done after {}; not waiting for it", notifiers.get(i).name(), Sizes.duration(budget));
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private void call(Notifier n, String what, Call call) {
        try {
            call.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            log.warn("{} notification ({}) failed: {}", n.name(), what, env.redact(why));
        }
    }

    private static boolean await(CompletableFuture<Void> f, long deadlineNanos) {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
