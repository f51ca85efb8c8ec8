package dev.lifeboat.mirror;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MirrorSettingsTest {
    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("MINIO_ENDPOINT", "minio.internal");
        m.put("MINIO_ACCESS_KEY", "access");
        m.put("MINIO_SECRET_KEY", "s3cr3t-value");
        m.put("MINIO_BUCKET", "files");
        return m;
    }

    private static MinioSettings settings(Map<String, String> m) {
        return MinioSettings.fromEnv(Env.of(m));
    }

    @Test
    void defaultsAreHttps443AndUsEast1() {
        MinioSettings s = settings(base());
        assertEquals("minio.internal", s.host());
        assertEquals(443, s.port());
        assertTrue(s.ssl());
        assertEquals("us-east-1", s.region());
        assertFalse(s.toString().contains("s3cr3t"), "no secret in toString");
    }

    @Test
    void endpointAsUrlOrHostPort() {
        Map<String, String> m = base();
        m.put("MINIO_ENDPOINT", "http://127.0.0.1:9000");
        MinioSettings s = settings(m);
        assertEquals(9000, s.port());
        assertFalse(s.ssl());
        m.put("MINIO_ENDPOINT", "minio:9000");
        m.put("MINIO_USE_SSL", "false");
        s = settings(m);
        assertEquals("minio", s.host());
        assertEquals(9000, s.port());
        assertFalse(s.ssl());
        m.put("MINIO_ENDPOINT", "minio");
        m.put("MINIO_PORT", "9001");
        assertEquals(9001, settings(m).port());
    }

    @Test
    void extraCaCertificatesOnlyWithSsl() {
        Map<String, String> m = base();
        m.put("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
        m.put("SSL_CERT_DIR", "/etc/ssl/certs");
        assertEquals("/etc/ssl/certs/ca-certificates.crt", settings(m).caFile());
        assertEquals(null, settings(m).caDir(), "the file wins; the directory is not parsed too");
        m.put("MINIO_USE_SSL", "false");
        assertEquals(null, settings(m).caFile());
        assertEquals(null, settings(m).caDir());
    }

    @Test
    void secretFromFile() throws Exception {
        Path f = Scratch.file("minio-secret", "");
        Files.writeString(f, "from-file-secret\n");
        Map<String, String> m = base();
        m.remove("MINIO_SECRET_KEY");
        m.put("MINIO_SECRET_KEY_FILE", f.toString());
        assertEquals("from-file-secret", settings(m).secretKey());
        Files.delete(f);
    }

    @Test
    void problemsNameTheVariable() {
        assertConfig("MINIO_ENDPOINT", m -> m.remove("MINIO_ENDPOINT"));
        assertConfig("MINIO_ENDPOINT", m -> m.put("MINIO_ENDPOINT", "ftp://x"));
        assertConfig("MINIO_ENDPOINT", m -> m.put("MINIO_ENDPOINT", "https://x/bucket"));
        assertConfig("MINIO_PORT", m -> m.put("MINIO_PORT", "70000"));
        assertConfig("MINIO_USE_SSL", m -> m.put("MINIO_USE_SSL", "maybe"));
        assertConfig("MINIO_USE_SSL", m -> { m.put("MINIO_ENDPOINT", "https://x"); m.put("MINIO_USE_SSL", "false"); });
        assertConfig("MINIO_ACCESS_KEY", m -> m.remove("MINIO_ACCESS_KEY"));
        assertConfig("MINIO_SECRET_KEY", m -> m.remove("MINIO_SECRET_KEY"));
        assertConfig("MINIO_BUCKET", m -> m.remove("MINIO_BUCKET"));
        assertConfig("MINIO_BUCKET", m -> m.put("MINIO_BUCKET", "Bad_Bucket"));
        assertConfig("MINIO_REGION", m -> m.put("MINIO_REGION", "no region"));
    }

    @Test
    void requestFromFlagsAndEnv() {
        Map<String, String> m = base();
        m.put("MIRROR_WORKERS", "3");
        m.put("MIRROR_EXCLUDE", "tmp/**, *.part");
        MirrorRequest r = MirrorSettings.fromEnv(Env.of(m), "a/", List.of("cache/**"), true, 5, false, null, false, false);
        assertEquals(3, r.workers());
        assertEquals(5, r.maxDelete());
        assertTrue(r.exclude().matches("tmp/x"));
        assertTrue(r.exclude().matches("x.part"));
        assertTrue(r.exclude().matches("cache/y"));
        assertEquals(1000, MirrorSettings.fromEnv(Env.of(m), null, List.of(), true, null, false, 2, false, false).maxDelete());
        assertEquals(2, MirrorSettings.fromEnv(Env.of(m), null, List.of(), false, null, false, 2, false, false).workers());
        m.put("MIRROR_WORKERS", "0");
        assertConfigRequest("MIRROR_WORKERS", () -> MirrorSettings.fromEnv(Env.of(m), null, List.of(), false, null, false, null, false, false));
        assertConfigRequest("--overwrite", () -> MirrorSettings.fromEnv(Env.of(base()), null, List.of(), false, null, false, null, false, true));
        assertConfigRequest("--remove", () -> MirrorSettings.fromEnv(Env.of(base()), null, List.of(), true, null, false, null, true, false));
        assertConfigRequest("--max-delete", () -> MirrorSettings.fromEnv(Env.of(base()), null, List.of(), false, 3, false, null, false, false));
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = dev.lifeboat.Main.run(new java.io.PrintStream(out, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream()), Map.of(), "mirror", "--help");
        assertEquals(0, code);
        String help = out.toString();
        for (String s : List.of("--dry-run", "--prefix", "--exclude", "--remove", "--max-delete", "--reverse", "--overwrite", "--json", "MINIO_ENDPOINT", "Exit codes")) {
            assertTrue(help.contains(s), s + " in\n" + help);
        }
    }

    private static void assertConfig(String variable, java.util.function.Consumer<Map<String, String>> change) {
        Map<String, String> m = base();
        change.accept(m);
        assertConfigRequest(variable, () -> settings(m));
    }

    private static void assertConfigRequest(String variable, Runnable r) {
        LifeboatException e = assertThrows(LifeboatException.class, r::run);
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(variable), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }
}
