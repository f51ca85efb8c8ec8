package dev.lifeboat.store;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing and configuring the store from the environment: every mistake is exit 2 and names the variable. */
class ObjectStoresTest {
    private static LifeboatException refused(Map<String, String> vars) {
        LifeboatException e = assertThrows(LifeboatException.class, () -> ObjectStores.fromEnv(Env.of(vars)).close());
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e;
    }

    @Test
    void oneStoreMustBeConfigured() {
        assertTrue(refused(Map.of()).getMessage().startsWith("BACKUP_S3_BUCKET or BACKUP_DIR must be set"));
        assertTrue(refused(Map.of("BACKUP_DIR", "/tmp/x", "BACKUP_S3_BUCKET", "b")).getMessage().contains("both set"));
    }

    @Test
    void endpointMustBeAUrl() {
        for (String bad : new String[] {"minio:9000", "ftp://host", "http://", "not a url"}) {
            String m = refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_ENDPOINT", bad)).getMessage();
            assertTrue(m.startsWith("BACKUP_S3_ENDPOINT="), m);
        }
        String m = refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_ENDPOINT", "http://ak:sekret@host:9000")).getMessage();
        assertFalse(m.contains("sekret"), m);
    }

    @Test
    void keysComeInPairs() {
        assertTrue(refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_ACCESS_KEY", "ak")).getMessage().contains("BACKUP_S3_SECRET_KEY"));
        assertTrue(refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_SECRET_KEY", "sk1")).getMessage().contains("BACKUP_S3_ACCESS_KEY"));
    }

    @Test
    void encryptionSettings() {
        assertTrue(refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_SSE", "rot13")).getMessage().startsWith("BACKUP_S3_SSE="));
        assertTrue(refused(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_SSE", "AES256", "BACKUP_S3_KMS_KEY_ID", "k"))
                .getMessage().startsWith("BACKUP_S3_KMS_KEY_ID"));
        Map<String, String> vars = new HashMap<>(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_SSE", "aws:kms", "BACKUP_S3_KMS_KEY_ID", "key-1",
                "BACKUP_S3_STORAGE_CLASS", "STANDARD_IA", "BACKUP_S3_ENDPOINT", "https://s3.example.com",
                "BACKUP_S3_ACCESS_KEY", "ak", "BACKUP_S3_SECRET_KEY", "the-secret"));
        S3Settings s = S3Settings.fromEnv(Env.of(vars));
        assertEquals(new S3Settings(URI.create("https://s3.example.com"), "us-east-1", "b", "ak", "the-secret", "aws:kms", "key-1", "STANDARD_IA"), s);
        assertFalse(s.toString().contains("the-secret"));
        S3Settings plain = S3Settings.fromEnv(Env.of(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_REGION", "eu-west-1")));
        assertNull(plain.endpoint());
        assertEquals("eu-west-1", plain.region());
        assertFalse(plain.hasStaticKeys());
    }

    /** A store opened in the background: its refusal comes out of get(), the same exception fromEnv throws; a directory store waits for get(). */
    @Test
    void aStoreOpenedInTheBackgroundIsRefusedTheSameWayAndADirectoryWaitsForGet() throws Exception {
        try (ObjectStores.Opening opening = ObjectStores.open(Env.of(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_ENDPOINT", "minio:9000")))) {
            LifeboatException e = assertThrows(LifeboatException.class, opening::get);
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("BACKUP_S3_ENDPOINT=minio:9000"), e.getMessage());
        }
        try (ObjectStores.Opening opening = ObjectStores.open(Env.of(Map.of()))) {
            assertTrue(assertThrows(LifeboatException.class, opening::get).getMessage().startsWith("BACKUP_S3_BUCKET or BACKUP_DIR must be set"));
        }
        java.nio.file.Path dir = dev.lifeboat.harness.Scratch.dir("opening-").resolve("store");
        try (ObjectStores.Opening unused = ObjectStores.open(Env.of(Map.of("BACKUP_DIR", dir.toString())))) {
            assertFalse(java.nio.file.Files.exists(dir), "a command refused before get() must not create BACKUP_DIR");
        }
        assertFalse(java.nio.file.Files.exists(dir));
        try (ObjectStores.Opening opening = ObjectStores.open(Env.of(Map.of("BACKUP_DIR", dir.toString())));
             ObjectStore store = opening.get()) {
            assertTrue(store instanceof LocalStore);
            assertTrue(java.nio.file.Files.isDirectory(dir));
        }
        try (ObjectStores.Opening opening = ObjectStores.open(Env.of(Map.of("BACKUP_S3_BUCKET", "b", "BACKUP_S3_ENDPOINT", "http://127.0.0.1:9")));
             ObjectStore store = opening.get()) {
            assertEquals("s3://b", store.describe());
        }
    }
}
