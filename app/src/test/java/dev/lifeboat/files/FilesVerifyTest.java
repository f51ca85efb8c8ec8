package dev.lifeboat.files;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat list --kind files` and `lifeboat verify --files` on real files backups in a real S3 server. */
class FilesVerifyTest {
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key;
    static int buckets;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = S3Server.shared();
        gpg = new GpgHome();
        key = gpg.generateCv25519("Verify files <vf@example.com>", null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    Map<String, String> env(boolean encrypted) throws Exception {
        String bucket = "files-verify-" + (++buckets);
        s3.createBucket(bucket);
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("BACKUP_SOURCE_NAME", "app");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        if (encrypted) {
            env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
            env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
            env.put("BACKUP_GPG_SECRET_KEY", gpg.exportSecret(key.fingerprint(), "").toString());
        } else {
            env.put("BACKUP_ENCRYPTION", "off");
        }
        return env;
    }

    static String backup(Map<String, String> env, Path tree) throws Exception {
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", tree.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        String archive = Json.mapper().readTree(r.out()).get("key").asText();
        return archive.substring(0, archive.indexOf('.'));
    }

    static byte[] download(Map<String, String> env, String key) {
        return s3.client().getObject(b -> b.bucket(env.get("BACKUP_S3_BUCKET")).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    static void upload(Map<String, String> env, String key, byte[] data) {
        s3.client().putObject(b -> b.bucket(env.get("BACKUP_S3_BUCKET")).key(key), RequestBody.fromBytes(data));
    }

    static JsonNode layers(Lifeboat.Result r) throws Exception {
        return Json.mapper().readTree(r.out()).get("backups").get(0).get("checks");
    }

    static String status(JsonNode checks, String layer) {
        for (JsonNode c : checks) if (c.get("layer").asText().equals(layer)) return c.get("status").asText();
        return "absent";
    }

    @Test
    void listShowsFilesBackupsAndVerifyChecksEveryLayer() throws Exception {
        Map<String, String> env = env(true);
        String stem = backup(env, FileTrees.standard(tmp.resolve("src"), 0));

        Lifeboat.Result list = Lifeboat.run(env, "list", "--kind", "files", "--json");
        assertEquals(0, list.exit(), list.toString());
        JsonNode row = Json.mapper().readTree(list.out()).get("backups").get(0);
        assertEquals(stem, row.get("key").asText());
        assertEquals("files", row.get("kind").asText());
        assertEquals("public-key", row.get("encryption").asText());
        assertTrue(row.get("note").asText().startsWith("6 files, "), row.toString());
        Lifeboat.Result pgOnly = Lifeboat.run(env, "list", "--json");
        assertEquals(0, Json.mapper().readTree(pgOnly.out()).get("backups").size(), "the default kind is pg: " + pgOnly.out());

        Lifeboat.Result quick = Lifeboat.run(env, "verify", "--files", "--level", "quick", "--json");
        assertEquals(0, quick.exit(), quick.toString());
        assertEquals("ok", status(layers(quick), "checksum"));
        assertEquals("absent", status(layers(quick), "files"));

        Lifeboat.Result full = Lifeboat.run(env, "verify", stem, "--json");
        assertEquals(0, full.exit(), full.toString());
        JsonNode checks = layers(full);
        for (String layer : List.of("manifest", "size", "checksum", "entries", "decrypt", "archive", "files")) {
            assertEquals("ok", status(checks, layer), layer + " in " + checks);
        }
        assertTrue(Json.mapper().readTree(full.out()).get("backups").get(0).get("verified_key").asText().endsWith(".verified.json"));
        Lifeboat.Result listed = Lifeboat.run(env, "list", "--kind", "files", "--json");
        assertTrue(Json.mapper().readTree(listed.out()).get("backups").get(0).get("verified").asBoolean(), listed.out());
    }

    @Test
    void aFlippedByteFailsQuickAndFullVerification() throws Exception {
        Map<String, String> env = env(true);
        String stem = backup(env, FileTrees.standard(tmp.resolve("src"), 1 << 20));
        String archive = stem + ".tar.gz.gpg";
        byte[] data = download(env, archive);
        data[data.length / 3] ^= 0x40;
        upload(env, archive, data);
        Lifeboat.Result quick = Lifeboat.run(env, "verify", "--files", "--level", "quick");
        assertEquals(1, quick.exit(), quick.toString());
        assertTrue(quick.err().contains("checksum"), quick.err());
        Lifeboat.Result full = Lifeboat.run(env, "verify", "--files", "--json");
        assertEquals(1, full.exit(), full.toString());
        assertEquals("failed", status(layers(full), "checksum"));
    }

    @Test
    void fullVerificationChecksEveryFileAgainstTheEntryList() throws Exception {
        Map<String, String> env = env(false);
        Path tree = FileTrees.standard(tmp.resolve("src"), 0);
        String stem = backup(env, tree);
        FilesManifest m = FilesManifest.parse("m", download(env, stem + ".manifest.json"));
        List<FileEntry> entries = new ArrayList<>();
        for (FileEntry e : m.entries()) {
            entries.add(e.path().endsWith("/.env") ? new FileEntry(e.path(), e.type(), e.size(), e.mode(), e.mtime(), null,
                    "0".repeat(64)) : e);
        }
        FilesManifest forged = new FilesManifest(m.format(), m.kind(), m.source(), m.tag(), m.archive(), null, m.started(),
                m.finished(), m.durationSeconds(), m.host(), m.roots(), m.excludes(), m.compression(), m.encryption(), m.signer(),
                m.counts(), entries, m.changedWhileRead(), m.skipped(), m.lifeboatVersion());
        upload(env, stem + ".manifest.json", forged.toJson());

        Lifeboat.Result quick = Lifeboat.run(env, "verify", "--files", "--level", "quick");
        assertEquals(0, quick.exit(), "quick reads no entries: " + quick);
        Lifeboat.Result full = Lifeboat.run(env, "verify", "--files", "--level", "full");
        assertEquals(1, full.exit(), full.toString());
        assertTrue(full.err().contains("files") && full.err().contains("/.env"), full.err());
        Lifeboat.Result restore = Lifeboat.run(env, "restore", "--files", "--latest", "--to", tmp.resolve("r").toString());
        assertEquals(3, restore.exit(), restore.toString());
        assertTrue(restore.err().contains("/.env") && restore.err().contains("SHA-256"), restore.err());
        Manifest.StoredObject unchanged = m.archive();
        assertEquals(unchanged.sha256(), forged.archive().sha256());
    }
}
