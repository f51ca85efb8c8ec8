package dev.lifeboat.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.config.Env;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * BACKUP_WEBHOOK_URL: one JSON POST per finished run, success or failure:
 * <pre>{"event":"lifeboat.backup.failure","command":"backup","source":"shop","host":"db1",
 *  "key":"pg/shop/…","status":"failure","exit_code":3,"message":"…","bytes":0,"objects":0,
 *  "duration_seconds":12.3,"timestamp":"2024-05-01T10:00:12Z","text":"lifeboat backup shop on db1: FAILED …"}</pre>
 * {@code text} makes a Slack/Mattermost-style incoming webhook show a readable line. The URL
 * counts as a secret (chat webhook URLs carry a token).
 */
final class Webhook implements Notifier {
    /** Built on first use: every run asks whether a webhook is set, few have one (Jackson's start costs tens of ms). */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final HttpClient client;
    private final URI url;
    private final Duration timeout;

    Webhook(HttpClient client, URI url, Duration timeout) {
        this.client = client;
        this.url = url;
        this.timeout = timeout;
    }

    static Optional<Webhook> from(Env env, Supplier<HttpClient> client, Duration timeout) {
        return env.secret("BACKUP_WEBHOOK_URL").map(v -> new Webhook(client.get(), Http.url("BACKUP_WEBHOOK_URL", v), timeout));
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void finished(RunOutcome o, String logTail) throws Exception {
        Http.post(client, url, "application/json", Mapper.JSON.writeValueAsString(event(o)), timeout);
    }

    static Map<String, Object> event(RunOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "lifeboat." + o.command() + "." + o.status());
        m.put("command", o.command());
        m.put("source", o.source());
        m.put("host", o.host());
        m.put("key", o.key());
        m.put("status", o.status());
        m.put("exit_code", o.exitCode());
        m.put("message", o.message());
        m.put("bytes", o.bytes());
        m.put("objects", o.objects());
        m.put("duration_seconds", o.duration().toMillis() / 1000.0);
        m.put("timestamp", o.finished().toString());
        m.put("text", o.summary());
        return m;
    }
}
