package dev.lifeboat.faults;

import dev.lifeboat.harness.Scratch;
import com.sun.net.httpserver.HttpServer;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgBinSpy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every subcommand run as a real process (with --debug, the chattiest it gets) with distinctive
 * secrets: the database password, the S3 secret (also the MinIO secret: one S3 server plays
 * both), the backup passphrase, a secret key passphrase, and webhook/healthcheck URLs (secrets
 * too). None may appear in stdout, stderr, a report, a manifest or any other unencrypted object,
 * the metrics file, a notification body, the argv of a child, or a child's environment beyond
 * the one PGPASSWORD pg_dump/pg_restore need.
 */
class SecretsTest {
    static final String DB = "faults_secrets";
    static final String ROLE = "faults_secret_owner";
    static final String DB_PASSWORD = "db-Pw-Zq81xK";
    static final String PASSPHRASE = "pass-Phrase-Qx77";
    static final String KEY_PASSPHRASE = "sk-Pass-Vv19Lm";
    static final String HOOK_TOKEN = "hook-Token-Ab12Cd";
    static FaultBed bed;
    static HttpServer http;
    static final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture(DB, Fixtures.CHINOOK);
        if (bed.pg.psql("postgres", "SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'").isBlank()) {
            bed.pg.createRole(ROLE, DB_PASSWORD, "SUPERUSER");
        }
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            bodies.add(ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        http.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        http.stop(0);
        for (String db : bed.pg.psql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'faults_secrets_%'").lines().toList()) {
            bed.pg.dropDatabase(db);
        }
        bed.close();
    }

    @Test
    void noSecretReachesOutputLogsReportsObjectsMetricsNoticesOrChildren() throws Exception {
        String bucket = bed.bucket("secrets");
        String live = "live-secrets";
        bed.s3.createBucket(live);
        bed.s3.client().putObject(b -> b.bucket(live).key("docs/readme.txt"), RequestBody.fromString("hello"));
        Path tree = Scratch.dir("faults-secret-files-");
        Files.writeString(tree.resolve("a.txt"), "files backup content");
        Path metrics = Scratch.dir("faults-metrics-").resolve("lifeboat.prom");
        PgBinSpy bin = PgBinSpy.recording(bed.pg.binDir());
        String hooks = "http://127.0.0.1:" + http.getAddress().getPort() + "/" + HOOK_TOKEN;

        Map<String, String> env = bed.env(DB, bucket);
        env.remove("BACKUP_GPG_RECIPIENT");
        env.remove("BACKUP_GPG_PUBLIC_KEY");
        env.remove("BACKUP_GPG_SECRET_KEY");
        env.put("BACKUP_GPG_PASSPHRASE", PASSPHRASE);
        env.put("BACKUP_GPG_SECRET_KEY_PASSPHRASE", KEY_PASSPHRASE);
        env.put("DATABASE_URL", "postgresql://" + ROLE + ":" + DB_PASSWORD + "@127.0.0.1:" + bed.pg.port() + "/" + DB);
        env.put("PG_BIN_DIR", bin.dir().toString());
        env.put("BACKUP_WEBHOOK_URL", hooks + "/webhook");
        env.put("BACKUP_HEALTHCHECK_URL", hooks + "/check");
        env.put("BACKUP_METRICS_FILE", metrics.toString());
        env.put("MINIO_ENDPOINT", bed.s3.endpoint().toString());
        env.put("MINIO_USE_SSL", "false");
        env.put("MINIO_ACCESS_KEY", bed.s3.accessKey());
        env.put("MINIO_SECRET_KEY", bed.s3.secretKey());
        env.put("MINIO_BUCKET", live);
        List<String> secrets = List.of(DB_PASSWORD, PASSPHRASE, KEY_PASSPHRASE, HOOK_TOKEN, bed.s3.secretKey());

        List<List<String>> runs = List.of(
                List.of("backup", "--json"),
                List.of("backup", "--files", tree.toString(), "--json"),
                List.of("list", "--all", "--kind", "all", "--json"),
                List.of("verify", "--level", "full", "--json"),
                List.of("verify", "--files", "--level", "full", "--json"),
                List.of("drill", "--json"),
                List.of("restore", "--latest", "--confirm=" + DB, "--json"),
                List.of("restore", "--files", "--latest", "--to", tree.resolveSibling(tree.getFileName() + "-restored").toString(), "--json"),
                List.of("mirror", "--json"),
                List.of("rotate", "--json"),
                List.of("check", "--json"),
                List.of("--debug", "backup", "--table", "nonexistent_table_*"), // a failure: error line, failure notices
                List.of("restore", "--latest", "--confirm=wrong", "--target-url", "postgresql://" + ROLE + ":" + DB_PASSWORD + "@127.0.0.1/x"));
        List<String> leaks = new ArrayList<>();
        for (List<String> args : runs) {
            List<String> argv = new ArrayList<>(args.get(0).startsWith("--") ? List.of() : List.of("--debug"));
            argv.addAll(args);
            Lifeboat.Result r = Lifeboat.spawn(env, argv.toArray(String[]::new));
            if (args.get(0).equals("check")) {
                assertTrue(r.exit() == 0 || r.exit() == 1, "check: " + r); // 1: a warning-level finding such as no bucket versioning
            } else if (args.get(0).startsWith("--") || args.contains("--confirm=wrong")) {
                assertTrue(r.exit() == 2 || r.exit() == 3, args + " fails: " + r);
            } else {
                assertEquals(0, r.exit(), args + ": " + r);
            }
            for (String s : secrets) if (r.all().contains(s)) leaks.add(args + " printed " + s);
        }
        assertTrue(bodies.size() >= runs.size(), "the notifiers were called: " + bodies.size());
        for (String body : bodies) for (String s : secrets) if (body.contains(s)) leaks.add("a notification body holds " + s);
        String prom = Files.readString(metrics);
        for (String s : secrets) if (prom.contains(s)) leaks.add("the metrics file holds " + s);
        for (String key : bed.objects(bucket)) {
            if (key.endsWith(".gpg")) continue;
            String text = new String(bed.read(bucket, key), StandardCharsets.ISO_8859_1);
            for (String s : secrets) if (text.contains(s)) leaks.add(key + " holds " + s);
        }
        for (String program : List.of("pg_dump", "pg_dumpall", "pg_restore", "psql")) {
            for (String a : bin.calls(program, "argv")) for (String s : secrets) if (a.contains(s)) leaks.add(program + " argv holds " + s);
            for (String e : bin.calls(program, "env")) {
                for (String line : e.lines().toList()) {
                    if (line.startsWith("PGPASSWORD=")) continue;
                    for (String s : secrets) if (line.contains(s)) leaks.add(program + " environment " + line);
                    if (line.startsWith("BACKUP_") || line.startsWith("MINIO_")) leaks.add(program + " inherited " + line);
                }
            }
        }
        assertFalse(bin.calls("pg_dump", "env").isEmpty() || bin.calls("pg_restore", "env").isEmpty(), "children were recorded");
        assertEquals(List.of(), leaks);
    }
}
