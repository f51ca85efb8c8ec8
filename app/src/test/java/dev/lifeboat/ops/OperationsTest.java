package dev.lifeboat.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper with real locks, a real metrics file, a real HTTP server and a real SMTP server. */
class OperationsTest {
    private static final String SECRET = "Zq9fakeSMTPpass7731";
    private static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2024-05-01T11:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpRecorder http;
    StderrCapture log;
    Map<String, String> vars = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        http = new HttpRecorder();
        log = new StderrCapture();
        vars.put("BACKUP_LOCK_DIR", dir.resolve("locks").toString());
        vars.put("BACKUP_METRICS_FILE", dir.resolve("lifeboat.prom").toString());
    }

    @AfterEach
    void tearDown() {
        log.close();
        http.close();
    }

    private Operations ops(Instant now) {
        return new Operations(Env.of(vars), Clock.fixed(now, ZoneOffset.UTC), System.err,
                OpsOptions.defaults().withTerminal(false).withSignalHook(false).withNotifyBudget(Duration.ofSeconds(1)));
    }

    private Map<String, Double> metrics() throws IOException {
        return PromText.parse(Files.readString(dir.resolve("lifeboat.prom")));
    }

    private static double get(Map<String, Double> m, String name, String command, String source) {
        Double v = m.get(PromText.key(name, command, source));
        if (v == null) throw new AssertionError("no series " + PromText.key(name, command, source) + " in " + m.keySet());
        return v;
    }

    @Test
    void successPingsStartThenSuccessPostsTheWebhookAndWritesMetrics() throws Exception {
        vars.put("BACKUP_HEALTHCHECK_URL", http.url("/ok/hc/abc"));
        vars.put("BACKUP_WEBHOOK_URL", http.url("/ok/hook"));
        String result = ops(T1).run("backup", "shop", LockSpec.backup("shop"), ctx -> {
            ctx.key("pg/shop/2024-05-01/100000.dump.gz.gpg");
            ctx.bytes(12345);
            ctx.objects(3);
            return "report";
        });
        assertEquals("report", result);

        HttpRecorder.Request start = http.next();
        assertEquals("/ok/hc/abc/start", start.path());
        HttpRecorder.Request second = http.next();
        HttpRecorder.Request third = http.next();
        HttpRecorder.Request ping = second.path().startsWith("/ok/hc") ? second : third;
        HttpRecorder.Request hook = second.path().startsWith("/ok/hc") ? third : second;
        assertEquals("/ok/hc/abc", ping.path());
        assertEquals("POST", ping.method());
        assertEquals("/ok/hook", hook.path());
        assertEquals("application/json", hook.contentType());
        JsonNode event = JSON.readTree(hook.body());
        assertEquals("lifeboat.backup.success", event.get("event").asText());
        assertEquals("backup", event.get("command").asText());
        assertEquals("shop", event.get("source").asText());
        assertEquals("success", event.get("status").asText());
        assertEquals("pg/shop/2024-05-01/100000.dump.gz.gpg", event.get("key").asText());
        assertEquals(12345, event.get("bytes").asLong());
        assertTrue(event.get("timestamp").asText().startsWith("2024-05-01T10:00:0"), event.toString());
        assertTrue(event.get("duration_seconds").isNumber());
        assertTrue(event.get("text").asText().contains("backup shop") && event.get("text").asText().contains("succeeded"), event.toString());

        Map<String, Double> m = metrics();
        assertEquals(1.0, get(m, "lifeboat_last_run_status", "backup", "shop"));
        double end = get(m, "lifeboat_last_run_timestamp_seconds", "backup", "shop");
        assertTrue(end >= T1.getEpochSecond() && end < T1.getEpochSecond() + 10, "end = start + measured duration: " + end);
        assertEquals(end, get(m, "lifeboat_last_success_timestamp_seconds", "backup", "shop"));
        assertEquals(12345.0, get(m, "lifeboat_last_run_bytes", "backup", "shop"));
        assertEquals(3.0, get(m, "lifeboat_last_run_objects", "backup", "shop"));
        double took = get(m, "lifeboat_last_run_duration_seconds", "backup", "shop");
        assertTrue(took >= 0 && took < 10, "duration " + took);
        assertEquals(end - T1.getEpochSecond(), took, 0.0011);
        String text = Files.readString(dir.resolve("lifeboat.prom"));
        assertTrue(text.contains("# HELP lifeboat_last_run_status ") && text.contains("# TYPE lifeboat_last_run_status gauge"), text);
        assertTrue(http.requests.isEmpty(), "no further requests: " + http.requests);
    }

    @Test
    void failureKeepsOtherSeriesAndLastSuccessAndNotifiesWithoutSecrets() throws Exception {
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        try {
            mail.setUser("ops@example.com", "lifeboat", SECRET);
            vars.put("BACKUP_SMTP_URL", "smtp://lifeboat:" + SECRET + "@127.0.0.1:" + mail.getSmtp().getPort()
                    + "?from=lifeboat@example.com&starttls=off");
            vars.put("BACKUP_EMAIL_TO", "ops@example.com, dba@example.com");
            vars.put("BACKUP_HEALTHCHECK_URL", http.url("/ok/hc/general"));
            vars.put("BACKUP_HEALTHCHECK_URL_BACKUP", http.url("/ok/hc/backup"));
            vars.put("BACKUP_WEBHOOK_URL", http.url("/ok/hook"));

            ops(T1).run("backup", "shop", LockSpec.backup("shop"), ctx -> { ctx.bytes(100); return null; });
            ops(T1).run("verify", "shop", LockSpec.reader("shop"), ctx -> { ctx.gauge(Gauge.BACKUP_AGE_SECONDS, 600); return null; });
            ops(T1).run("drill", "shop", LockSpec.reader("shop"), ctx -> {
                ctx.gauge(Gauge.DRILL_RESTORE_SECONDS, 42.5);
                ctx.gauge(Gauge.DRILL_DIFFERENCES, 0);
                return null;
            });
            http.requests.clear();
            double successBefore = get(metrics(), "lifeboat_last_success_timestamp_seconds", "backup", "shop");

            LifeboatException thrown = assertThrows(LifeboatException.class, () ->
                    ops(T2).run("backup", "shop", LockSpec.backup("shop"), ctx -> {
                        LoggerFactory.getLogger("dev.lifeboat.backup").info("dumping shop, 3 tables");
                        ctx.bytes(7);
                        throw LifeboatException.failed("upload refused: password " + SECRET + " rejected");
                    }));
            assertEquals(ExitCode.FAILED, thrown.exitCode());

            Map<String, Double> m = metrics();
            assertEquals(0.0, get(m, "lifeboat_last_run_status", "backup", "shop"));
            double success = get(m, "lifeboat_last_success_timestamp_seconds", "backup", "shop");
            assertTrue(get(m, "lifeboat_last_run_timestamp_seconds", "backup", "shop") >= T2.getEpochSecond());
            assertEquals(successBefore, success, "the last success timestamp is unchanged by a failure");
            assertTrue(success >= T1.getEpochSecond() && success < T2.getEpochSecond(), "" + success);
            assertEquals(7.0, get(m, "lifeboat_last_run_bytes", "backup", "shop"));
            assertEquals(600.0, get(m, "lifeboat_backup_age_seconds", "verify", "shop"));
            assertEquals(1.0, get(m, "lifeboat_last_run_status", "verify", "shop"));
            assertEquals(42.5, get(m, "lifeboat_drill_restore_seconds", "drill", "shop"));
            assertEquals(0.0, get(m, "lifeboat_drill_differences", "drill", "shop"));
            assertTrue(get(m, "lifeboat_last_success_timestamp_seconds", "drill", "shop") < T2.getEpochSecond());

            HttpRecorder.Request start = http.next();
            assertEquals("/ok/hc/backup/start", start.path(), "the per-command URL wins");
            HttpRecorder.Request a = http.next();
            HttpRecorder.Request b = http.next();
            HttpRecorder.Request fail = a.path().startsWith("/ok/hc") ? a : b;
            HttpRecorder.Request hook = a.path().startsWith("/ok/hc") ? b : a;
            assertEquals("/ok/hc/backup/fail", fail.path());
            assertTrue(fail.body().contains("dumping shop, 3 tables"), fail.body());
            assertTrue(fail.body().contains("upload refused: password *** rejected"), fail.body());
            JsonNode event = JSON.readTree(hook.body());
            assertEquals("failure", event.get("status").asText());
            assertEquals(3, event.get("exit_code").asInt());
            assertTrue(event.get("message").asText().contains("upload refused"), hook.body());

            assertTrue(mail.waitForIncomingEmail(5000, 2));
            MimeMessage[] received = mail.getReceivedMessages();
            String raw = GreenMailUtil.getWholeMessage(received[0]);
            assertTrue(received[0].getSubject().contains("backup shop failed"), received[0].getSubject());
            assertTrue(raw.contains("upload refused: password *** rejected"), raw);
            assertTrue(raw.contains("dumping shop, 3 tables"), raw);

            for (String where : new String[] {fail.body(), hook.body(), start.body(), raw, GreenMailUtil.getWholeMessage(received[1]),
                    Files.readString(dir.resolve("lifeboat.prom")), log.text()}) {
                assertFalse(where.contains(SECRET), "secret leaked into: " + where);
            }
            assertTrue(http.requests.isEmpty(), "BACKUP_HEALTHCHECK_URL was not pinged: " + http.requests);
        } finally {
            mail.stop();
        }
    }

    @Test
    void notifiersThatHangOrFailCostSecondsNotTheRun() throws Exception {
        vars.put("BACKUP_HEALTHCHECK_URL", http.url("/hang/hc"));
        vars.put("BACKUP_WEBHOOK_URL", http.url("/error/hook"));
        vars.put("BACKUP_SMTP_URL", "smtp://127.0.0.1:1?starttls=off");
        vars.put("BACKUP_EMAIL_TO", "ops@example.com");
        long t0 = System.nanoTime();
        LifeboatException e = assertThrows(LifeboatException.class, () ->
                ops(T1).run("backup", "shop", LockSpec.backup("shop"), ctx -> { throw LifeboatException.checkFailed("counts differ"); }));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(ExitCode.CHECK_FAILED, e.exitCode(), "the job's own failure, not a notifier's");
        assertTrue(seconds < 5, "notifiers held the run for " + seconds + " s");
        assertEquals("ok", ops(T1).run("mirror", "live", LockSpec.mirror("live"), ctx -> "ok"));
        String text = log.text();
        assertTrue(text.contains("webhook notification (finish) failed: IOException: HTTP status 500"), text);
        assertTrue(text.contains("email notification (finish) failed"), text);
        assertTrue(text.contains("healthcheck notification"), text);
        assertEquals(1.0, get(metrics(), "lifeboat_last_run_status", "mirror", "live"));
    }

    @Test
    void aRunWhileAnotherHoldsTheLockExits75AndTouchesNothing() throws Exception {
        vars.put("BACKUP_WEBHOOK_URL", http.url("/ok/hook"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try {
                ops(T1).run("rotate", "shop", LockSpec.rotate("shop"), ctx -> {
                    inside.countDown();
                    leave.await();
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        inside.await();
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> ops(T2).run("verify", "shop", LockSpec.reader("shop"), ctx -> { throw new AssertionError("must not run"); }));
        assertEquals(ExitCode.LOCKED, e.exitCode());
        assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()) && e.getMessage().contains("lifeboat rotate"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("lifeboat.prom")), "a locked-out run writes no metrics");
        leave.countDown();
        first.join();
        HttpRecorder.Request only = http.next();
        assertTrue(only.body().contains("\"command\":\"rotate\""), only.body());
        assertTrue(http.requests.isEmpty(), "the locked-out run sent nothing: " + http.requests);
    }

    @Test
    void timeoutRunsTheAbortActionAndEndsWithExit3() throws Exception {
        vars.put("BACKUP_TIMEOUT", "1s");
        Process[] child = new Process[1];
        long t0 = System.nanoTime();
        LifeboatException e = assertThrows(LifeboatException.class, () ->
                ops(T1).run("backup", "shop", LockSpec.backup("shop"), ctx -> {
                    child[0] = new ProcessBuilder("sleep", "600").start();
                    try (Cancellation.Registration r = ctx.onCancel(child[0]::destroyForcibly);
                         InputStream out = child[0].getInputStream()) {
                        if (out.read() < 0) throw new IOException("pg_dump ended early");
                        return null;
                    }
                }));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertEquals("timed out after 1s (BACKUP_TIMEOUT)", e.getMessage());
        assertTrue(e.getCause() instanceof IOException, "the job's own error is kept as the cause");
        assertFalse(child[0].isAlive());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
        assertEquals(0.0, get(metrics(), "lifeboat_last_run_status", "backup", "shop"));
        assertFalse(Thread.currentThread().isInterrupted(), "the caller's thread is not left interrupted");
    }

    @Test
    void timeoutInterruptsAJobThatWaits() {
        vars.put("BACKUP_TIMEOUT", "1s");
        LifeboatException e = assertThrows(LifeboatException.class, () ->
                ops(T1).run("drill", "shop", LockSpec.reader("shop"), ctx -> {
                    new CountDownLatch(1).await();
                    return null;
                }));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getCause() instanceof InterruptedException);
    }

    @Test
    void malformedNotifierSettingsAreAConfigurationError() {
        vars.put("BACKUP_SMTP_URL", "mailto:ops@example.com");
        vars.put("BACKUP_EMAIL_TO", "ops@example.com");
        LifeboatException e = assertThrows(LifeboatException.class,
                () -> ops(T1).run("backup", "shop", LockSpec.backup("shop"), ctx -> { throw new AssertionError("must not run"); }));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("BACKUP_SMTP_URL "), e.getMessage());
        vars.remove("BACKUP_SMTP_URL");
        LifeboatException e2 = assertThrows(LifeboatException.class,
                () -> ops(T1).run("backup", "shop", LockSpec.none(), ctx -> null));
        assertTrue(e2.getMessage().contains("BACKUP_SMTP_URL is not"), e2.getMessage());
    }
}
