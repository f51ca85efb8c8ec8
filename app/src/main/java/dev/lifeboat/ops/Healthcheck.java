package dev.lifeboat.ops;

import dev.lifeboat.config.Env;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * healthchecks.io-style pings: POST {@code <url>/start} when a run starts, {@code <url>} on
 * success (body: the one-line summary), {@code <url>/fail} on failure (body: the last log
 * lines, secrets removed). BACKUP_HEALTHCHECK_URL_&lt;COMMAND&gt; wins over
 * BACKUP_HEALTHCHECK_URL, so each command can have its own check and mirror's success never
 * hides a backup failure. The URLs count as secrets (they let anyone ping the check).
 */
final class Healthcheck implements Notifier {
    private static final int MAX_BODY = 10_000;
    private final HttpClient client;
    private final URI url;
    private final Duration timeout;

    Healthcheck(HttpClient client, URI url, Duration timeout) {
        this.client = client;
        this.url = url;
        this.timeout = timeout;
    }

    static Optional<Healthcheck> from(Env env, String command, Supplier<HttpClient> client, Duration timeout) {
        String specific = "BACKUP_HEALTHCHECK_URL_" + command.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String variable = env.isSet(specific) ? specific : "BACKUP_HEALTHCHECK_URL";
        return env.secret(variable).map(v -> new Healthcheck(client.get(), Http.url(variable, v), timeout));
    }

    @Override
    public String name() {
        return "healthcheck";
    }

    @Override
    public void started(String command, String source) throws Exception {
        Http.post(client, Http.withPath(url, "/start"), "text/plain; charset=utf-8", "", timeout);
    }

    @Override
    public void finished(RunOutcome outcome, String logTail) throws Exception {
        if (outcome.success()) {
            Http.post(client, url, "text/plain; charset=utf-8", outcome.summary(), timeout);
        } else {
            String body = logTail.length() > MAX_BODY ? logTail.substring(logTail.length() - MAX_BODY) : logTail;
            Http.post(client, Http.withPath(url, "/fail"), "text/plain; charset=utf-8", body, timeout);
        }
    }
}
