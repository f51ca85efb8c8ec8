package dev.lifeboat.ops;

import dev.lifeboat.harness.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 6 through the real commands: metrics, healthchecks and webhook after backup, verify, drill and a failed backup. */
class OperationsCommandsTest {
    static final String DB = "chinook_ops";
    static PgCluster pg;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, DB, Fixtures.CHINOOK);
    }

    static Map<String, String> env(Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_DIR", dir.resolve("store").toString());
        env.put("BACKUP_GPG_PASSPHRASE", "ops-Passphrase-5150");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_METRICS_FILE", dir.resolve("metrics/lifeboat.prom").toString());
        Files.createDirectories(dir.resolve("metrics"));
        return env;
    }

    static Map<String, Double> metrics(Map<String, String> env) throws Exception {
        String text = Files.readString(Path.of(env.get("BACKUP_METRICS_FILE")));
        assertFalse(text.contains("ops-Passphrase-5150") || text.contains(pg.password()), "no secret in the metrics file");
        return PromText.parse(text);
    }

    static double series(Map<String, Double> m, String name, String command) {
        Double v = m.get(PromText.key(name, command, DB));
        if (v == null) throw new AssertionError("no series " + name + " for " + command + " in " + m.keySet());
        return v;
    }

    @Test
    void metricsHoldEveryCommandsSeriesAndAFailureLeavesTheLastSuccessAlone() throws Exception {
        Map<String, String> env = env(Scratch.dir("ops-"));
        assertEquals(0, Lifeboat.run(env, "backup").exit());
        Map<String, Double> m = metrics(env);
        double backupSuccess = series(m, "lifeboat_last_success_timestamp_seconds", "backup");
        assertTrue(backupSuccess > 1.7e9);
        assertEquals(1.0, series(m, "lifeboat_last_run_status", "backup"));
        assertTrue(series(m, "lifeboat_last_run_bytes", "backup") > 100_000);

        assertEquals(0, Lifeboat.run(env, "verify", "--level", "quick").exit());
        assertTrue(series(metrics(env), "lifeboat_backup_age_seconds", "verify") >= 0);
        assertEquals(0, Lifeboat.run(env, "drill").exit());
        m = metrics(env);
        assertEquals(0.0, series(m, "lifeboat_drill_differences", "drill"));
        assertTrue(series(m, "lifeboat_drill_restore_seconds", "drill") > 0);

        Map<String, String> failing = new HashMap<>(env);
        failing.put("PG_BIN_DIR", PgBinSpy.killingPgDumpAfter(pg.binDir(), 100_000).dir().toString());
        assertEquals(3, Lifeboat.run(failing, "backup").exit());
        m = metrics(env);
        assertEquals(0.0, series(m, "lifeboat_last_run_status", "backup"));
        assertEquals(backupSuccess, series(m, "lifeboat_last_success_timestamp_seconds", "backup"), "last success unchanged");
        assertTrue(series(m, "lifeboat_last_run_timestamp_seconds", "backup") >= backupSuccess);
        assertEquals(1.0, series(m, "lifeboat_last_run_status", "drill"), "the other commands' series are kept");
        assertEquals(1.0, series(m, "lifeboat_last_run_status", "verify"));
    }

    @Test
    void healthchecksAndWebhookSeeARealBackupSucceedAndFail() throws Exception {
        try (HttpRecorder http = new HttpRecorder()) {
            Map<String, String> env = env(Scratch.dir("ops-"));
            env.put("BACKUP_HEALTHCHECK_URL", http.url("/ok/any"));
            env.put("BACKUP_HEALTHCHECK_URL_BACKUP", http.url("/ok/backup"));
            env.put("BACKUP_WEBHOOK_URL", http.url("/ok/hook"));
            assertEquals(0, Lifeboat.run(env, "backup").exit());
            assertEquals("/ok/backup/start", http.next().path());
            Map<String, HttpRecorder.Request> done = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                HttpRecorder.Request r = http.next();
                done.put(r.path(), r);
            }
            assertTrue(done.containsKey("/ok/backup"), "success ping to the per-command URL: " + done.keySet());
            JsonNode hook = Json.mapper().readTree(done.get("/ok/hook").body());
            assertEquals("lifeboat.backup.success", hook.get("event").asText());
            assertTrue(hook.get("key").asText().startsWith("pg/" + DB + "/"), hook.toString());
            assertTrue(hook.get("text").asText().contains("backup"), hook.toString());

            env.put("PG_BIN_DIR", PgBinSpy.killingPgDumpAfter(pg.binDir(), 100_000).dir().toString());
            env.put("BACKUP_DIR", Scratch.dir("ops-store-").toString());
            assertEquals(3, Lifeboat.run(env, "backup").exit());
            assertEquals("/ok/backup/start", http.next().path());
            Map<String, HttpRecorder.Request> failed = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                HttpRecorder.Request r = http.next();
                failed.put(r.path(), r);
            }
            String body = failed.get("/ok/backup/fail").body();
            assertTrue(body.contains("pg_dump"), "the failure ping carries the log's last lines: " + body);
            assertFalse(body.contains(pg.password()) || body.contains("ops-Passphrase-5150"), body);
            JsonNode failure = Json.mapper().readTree(failed.get("/ok/hook").body());
            assertEquals("failure", failure.get("status").asText());
            assertEquals(3, failure.get("exit_code").asInt());
        }
    }
}
