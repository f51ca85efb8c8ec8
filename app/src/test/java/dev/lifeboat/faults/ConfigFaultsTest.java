package dev.lifeboat.faults;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every variable of DESIGN.md's configuration table given a malformed value, run against a
 * subcommand that reads it: exit 2, one line naming the variable, nothing touched (no object
 * written, no database created or changed). An unexpected exception is exit 3 with one line and
 * no stack trace unless --debug.
 */
class ConfigFaultsTest {
    static final String DB = "faults_config";
    static FaultBed bed;
    static String bucket;
    static List<String> objects;
    static String content;
    static String databases;

    /** {@code value} null: the variable is removed. {@code names}: what the one line must contain. */
    record Case(String command, String variable, String value, String names) {
        Case(String command, String variable, String value) {
            this(command, variable, value, variable);
        }

        @Override
        public String toString() {
            return command + " with " + variable + "=" + value;
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture(DB, Fixtures.CHINOOK);
        bucket = bed.bucket("config");
        bed.backup(bed.env(DB, bucket));
        objects = bed.objects(bucket);
        content = bed.contentFingerprint(DB);
        databases = bed.pg.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    static List<Case> cases() throws Exception {
        Path aFile = Scratch.file("faults-not-a-dir-", ".txt");
        List<Case> c = new ArrayList<>();
        for (String command : List.of("backup", "restore", "drill", "check")) {
            c.add(new Case(command, "DATABASE_URL", "mysql://root@db/app"));
            c.add(new Case(command, "DATABASE_URL", "postgresql://u@host:99999/app"));
            c.add(new Case(command, "BACKUP_S3_ENDPOINT", "not a url"));
            c.add(new Case(command, "BACKUP_TIMEOUT", "90m"));
            c.add(new Case(command, "BACKUP_WEBHOOK_URL", "not a url"));
            c.add(new Case(command, "BACKUP_HEALTHCHECK_URL", "ftp://example.com/ping"));
        }
        c.add(new Case("rotate", "BACKUP_S3_ENDPOINT", "http://"));
        c.add(new Case("backup", "PG_BIN_DIR", "/nonexistent/bin"));
        c.add(new Case("backup", "BACKUP_S3_SECRET_KEY", null));
        c.add(new Case("backup", "BACKUP_S3_SSE", "des"));
        c.add(new Case("backup", "BACKUP_S3_KMS_KEY_ID", "key-1"));
        c.add(new Case("backup", "BACKUP_S3_BUCKET", "Not/A/Bucket"));
        c.add(new Case("backup", "BACKUP_S3_STORAGE_CLASS", "cheap please"));
        c.add(new Case("backup", "BACKUP_S3_REGION", "not a region"));
        c.add(new Case("backup", "BACKUP_DIR", aFile.toString()));
        c.add(new Case("backup", "BACKUP_SOURCE_NAME", "../escape"));
        c.add(new Case("backup", "BACKUP_GPG_RECIPIENT", "nobody@example.com", "nobody@example.com"));
        c.add(new Case("backup", "BACKUP_GPG_PUBLIC_KEY", "/nonexistent/key.asc"));
        c.add(new Case("backup", "BACKUP_GPG_PASSPHRASE_FILE", "/nonexistent/pass"));
        c.add(new Case("backup", "BACKUP_GPG_SIGNING_KEY", "/nonexistent/signing.asc"));
        c.add(new Case("backup", "BACKUP_ENCRYPTION", "maybe"));
        c.add(new Case("backup", "BACKUP_COMPRESSION", "lzma"));
        c.add(new Case("backup", "BACKUP_COMPRESSION_LEVEL", "fast"));
        c.add(new Case("backup", "BACKUP_LOCK_DIR", aFile.toString()));
        c.add(new Case("backup", "BACKUP_HEALTHCHECK_URL_BACKUP", "::"));
        c.add(new Case("backup", "BACKUP_SMTP_URL", "mailto:ops@example.com"));
        c.add(new Case("backup", "BACKUP_EMAIL_TO", "ops@example.com", "BACKUP_SMTP_URL"));
        c.add(new Case("backup", "PGPORT", "abc"));
        c.add(new Case("restore", "BACKUP_GPG_SECRET_KEY", "/nonexistent/secret.asc"));
        c.add(new Case("restore", "BACKUP_GPG_SECRET_KEY_PASSPHRASE_FILE", "/nonexistent/pass"));
        c.add(new Case("restore", "BACKUP_GPG_TRUSTED_SIGNERS", "nobody@example.com"));
        c.add(new Case("restore", "CONFIRM_RESTORE_IN_PROD", "yes please"));
        c.add(new Case("drill", "DRILL_DATABASE_URL", "http://db.example.com/x"));
        c.add(new Case("drill", "BACKUP_RTO_TARGET", "1 hour"));
        c.add(new Case("drill", "BACKUP_GPG_SECRET_KEY", "/nonexistent/secret.asc"));
        c.add(new Case("rotate", "BACKUP_KEEP_HOURLY", "7m"));
        c.add(new Case("rotate", "BACKUP_KEEP_DAILY", "thirty"));
        c.add(new Case("rotate", "BACKUP_KEEP_WEEKLY", "-4w"));
        c.add(new Case("rotate", "BACKUP_KEEP_MONTHLY", "12 months"));
        c.add(new Case("rotate", "BACKUP_KEEP_YEARLY", "1x"));
        c.add(new Case("rotate", "BACKUP_KEEP_LAST", "three"));
        c.add(new Case("rotate", "BACKUP_KEEP_TAGGED", "30"));
        c.add(new Case("rotate", "BACKUP_HOLD_TAGS", "Legal Hold!"));
        c.add(new Case("rotate", "BACKUP_MAX_RETENTION", "forever"));
        c.add(new Case("rotate", "BACKUP_MAX_AGE", "2m"));
        c.add(new Case("rotate", "BACKUP_FILES_MAX_AGE", "2 days"));
        c.add(new Case("rotate", "MIRROR_KEEP_REPLACED", "30m"));
        c.add(new Case("rotate", "BACKUP_TIMEZONE", "Mars/Olympus_Mons"));
        c.add(new Case("backup --files", "BACKUP_FILES_PATHS", "/nonexistent/uploads"));
        c.add(new Case("verify", "BACKUP_CRITICAL_TABLES", "a.b.c"));
        c.add(new Case("verify", "BACKUP_MAX_AGE", "2 hours"));
        c.add(new Case("mirror", "MINIO_ENDPOINT", "ftp://minio.example.com"));
        c.add(new Case("mirror", "MINIO_PORT", "http"));
        c.add(new Case("mirror", "MINIO_USE_SSL", "maybe"));
        c.add(new Case("mirror", "MINIO_BUCKET", null));
        c.add(new Case("mirror", "MINIO_SECRET_KEY", null));
        c.add(new Case("mirror", "MIRROR_WORKERS", "lots"));
        c.add(new Case("mirror", "BACKUP_TIMEOUT", "1 day"));
        return c;
    }

    static List<String> args(String command) {
        return switch (command) {
            case "restore" -> List.of("restore", "--latest", "--confirm=" + DB);
            default -> List.of(command.split(" "));
        };
    }

    @Test
    void everyMalformedVariableExits2WithOneLineNamingItAndTouchesNothing() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Case c : cases()) {
            Map<String, String> env = bed.env(DB, bucket);
            if (c.variable().equals("CONFIRM_RESTORE_IN_PROD")) env.put("BACKUP_ENVIRONMENT", "production");
            if (c.variable().equals("BACKUP_S3_KMS_KEY_ID")) env.put("BACKUP_S3_SSE", "AES256");
            if (c.variable().equals("BACKUP_DIR")) env.keySet().removeIf(k -> k.startsWith("BACKUP_S3_"));
            if (c.command().equals("mirror")) {
                env.put("MINIO_ENDPOINT", bed.s3.endpoint().toString());
                env.put("MINIO_USE_SSL", "false");
                env.put("MINIO_ACCESS_KEY", bed.s3.accessKey());
                env.put("MINIO_SECRET_KEY", bed.s3.secretKey());
                env.put("MINIO_BUCKET", "config-live");
            }
            if (c.variable().equals("PGPORT")) {
                env.remove("DATABASE_URL");
                env.put("PGHOST", "127.0.0.1");
                env.put("PGDATABASE", DB);
            }
            if (c.value() == null) env.remove(c.variable());
            else env.put(c.variable(), c.value());
            Lifeboat.Result r = Lifeboat.run(env, args(c.command()).toArray(String[]::new));
            String line = r.err().strip();
            if (c.command().equals("check")) {
                // the preflight reports every problem (exit 1, "a check failed") in its report, naming the variable
                if (r.exit() != 1 || !r.out().contains(c.names())) wrong.add(c + ": exit " + r.exit() + ", " + r.out().replace('\n', '|'));
            } else if (r.exit() != 2 || line.lines().count() != 1 || !line.contains(c.names())) {
                wrong.add(c + ": exit " + r.exit() + ", " + line.replace('\n', '|'));
            }
        }
        assertEquals(List.of(), wrong, "variables not refused with exit 2 and one line naming them");
        assertEquals(objects, bed.objects(bucket), "no object written");
        assertEquals(content, bed.contentFingerprint(DB), "the database is untouched");
        assertEquals(databases, bed.pg.psql("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"),
                "no database created or dropped");
    }

    @Test
    void anUnexpectedExceptionExits3WithoutAStackTraceUnlessDebug() throws Exception {
        // a manifest that is valid JSON of the right format but whose table list holds a null entry:
        // nothing in lifeboat expects that, so the restore's plan or comparison meets a NullPointerException
        String b = bed.bucket("unexpected");
        Map<String, String> env = bed.env(DB, b);
        String stem = bed.backup(env);
        String m = new String(bed.read(b, stem + ".manifest.json"), java.nio.charset.StandardCharsets.UTF_8);
        bed.write(b, stem + ".manifest.json", m.replaceFirst("\"tables\" : \\[", "\"tables\" : [ null,")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Lifeboat.Result r = Lifeboat.run(env, "drill", stem);
        assertEquals(3, r.exit(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("unexpected error") && r.err().contains("--debug"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        Lifeboat.Result debug = Lifeboat.run(env, "--debug", "drill", stem);
        assertEquals(3, debug.exit(), debug.toString());
        assertTrue(debug.err().contains("\tat dev.lifeboat."), "--debug shows the stack trace: " + debug.err());
    }
}
