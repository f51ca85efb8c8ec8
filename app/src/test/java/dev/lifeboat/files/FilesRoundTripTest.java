package dev.lifeboat.files;

import com.fasterxml.jackson.databind.JsonNode;
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
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `lifeboat backup --files` and `restore --files` end to end: a real S3 server over HTTP or a
 * local directory store, real gpg keys, and the stock `gpg -d | tar -x` path.
 */
class FilesRoundTripTest {
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key key;
    static Path secretKey;
    static int buckets;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = S3Server.shared();
        gpg = new GpgHome();
        key = gpg.generateRsa("Files <files@example.com>", null);
        secretKey = gpg.exportSecret(key.fingerprint(), "");
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    static String newBucket() {
        String b = "files-test-" + (++buckets);
        s3.createBucket(b);
        return b;
    }

    static Map<String, String> s3Env(String bucket) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("BACKUP_SOURCE_NAME", "app");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
        env.put("BACKUP_GPG_SECRET_KEY", secretKey.toString());
        return env;
    }

    static List<String> keys(String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    static byte[] download(String bucket, String key) {
        return s3.client().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    static void sh(Map<String, String> env, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + script).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "stock pipeline failed: " + script + "\n" + out);
    }

    @Test
    void treeRoundTripsThroughS3EncryptedAndThroughStockGpgTar() throws Exception {
        Path tree = FileTrees.standard(tmp.resolve("src"), 55L << 20);
        Files.createDirectories(tree.resolve("cache"));
        Files.writeString(tree.resolve("cache/x.tmp"), "excluded");
        Files.writeString(tree.resolve("a/b/skip.tmp"), "excluded by name");
        sh(Map.of(), "mkfifo '" + tree.resolve("a/fifo") + "'");
        FileTrees.touch(tree.resolve("a"), "2017-07-07T07:07:01Z");
        FileTrees.touch(tree.resolve("a/b"), "2017-07-07T07:07:03Z");
        FileTrees.touch(tree, "2017-07-07T07:07:00Z");
        String bucket = newBucket();
        Map<String, String> env = s3Env(bucket);

        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", tree.toString(), "--exclude", "cache", "--exclude", "*.tmp", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode report = Json.mapper().readTree(r.out());
        String archive = report.get("key").asText();
        assertTrue(archive.matches("files/app/\\d{4}-\\d\\d-\\d\\d/\\d{6}\\.tar\\.gz\\.gpg"), archive);
        assertEquals(List.of(tree.toString().substring(1) + "/a/fifo (FIFO)"), Json.mapper().convertValue(report.get("skipped"), List.class));
        String stem = archive.substring(0, archive.indexOf('.'));
        assertEquals(List.of(stem + ".entries.json.gz.gpg", stem + ".manifest.json", archive),
                keys(bucket).stream().sorted().toList());

        String manifestText = new String(download(bucket, stem + ".manifest.json"), StandardCharsets.UTF_8);
        FilesManifest m = FilesManifest.parse("m", manifestText.getBytes(StandardCharsets.UTF_8));
        assertEquals("lifeboat-files-manifest/1", m.format());
        assertEquals("files", m.kind());
        assertNull(m.entries(), "an encrypted backup keeps its entry list out of the manifest");
        assertNotNull(m.entriesObject());
        assertEquals(List.of(key.fingerprint()), m.encryption().recipients());
        assertEquals(7, m.counts().files(), manifestText);
        assertEquals(2, m.counts().symlinks());
        assertEquals(List.of(tree.toString()), m.roots());
        assertTrue(m.changedWhileRead().isEmpty(), m.changedWhileRead().toString());
        for (String file : List.of(".env", "empty", "big.bin", "Zürich/überweisung €.pdf")) {
            String hash = FileTrees.sha256(tree.resolve(file));
            assertFalse(manifestText.contains(hash), "no plaintext hash of " + file + " in the manifest");
        }
        assertFalse(manifestText.contains("überweisung"), "no file names in the plaintext manifest either");

        Files.delete(tree.resolve("a/fifo"));
        Files.delete(tree.resolve("a/b/skip.tmp"));
        Files.delete(tree.resolve("cache/x.tmp"));
        Files.delete(tree.resolve("cache"));
        FileTrees.touch(tree.resolve("a"), "2017-07-07T07:07:01Z");
        FileTrees.touch(tree.resolve("a/b"), "2017-07-07T07:07:03Z");
        FileTrees.touch(tree, "2017-07-07T07:07:00Z");

        Path to = tmp.resolve("restored");
        Lifeboat.Result restored = Lifeboat.run(env, "restore", "--files", "--latest", "--to", to.toString());
        assertEquals(0, restored.exit(), restored.toString());
        assertTrue(restored.out().contains("restored " + stem), restored.out());
        FileTrees.assertSameTree(tree, to.resolve(tree.toString().substring(1)));

        Path object = tmp.resolve("object.tar.gz.gpg");
        Files.write(object, download(bucket, archive));
        Path stock = Files.createDirectories(tmp.resolve("stock"));
        sh(gpg.env(), "gpg --batch --quiet --decrypt '" + object + "' | tar -xz -C '" + stock + "'");
        FileTrees.assertSameTree(tree, stock.resolve(tree.toString().substring(1)));
    }

    @Test
    void unencryptedZstdIntoALocalDirectoryKeepsTheEntriesInTheManifest() throws Exception {
        Path tree = FileTrees.standard(tmp.resolve("src"), 0);
        Path store = tmp.resolve("store");
        Map<String, String> env = new HashMap<>();
        env.put("BACKUP_SOURCE_NAME", "app");
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_ENCRYPTION", "off");
        env.put("BACKUP_COMPRESSION", "zstd");
        env.put("BACKUP_FILES_PATHS", tree.resolve("a") + "," + tree.resolve(".env"));
        env.put("BACKUP_DIR", store.toString());
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", "--tag", "pre-deploy", "--json");
        assertEquals(0, r.exit(), r.toString());
        String archive = Json.mapper().readTree(r.out()).get("key").asText();
        assertTrue(archive.endsWith("-pre-deploy.tar.zst"), archive);
        String stem = archive.substring(0, archive.indexOf('.'));
        FilesManifest m = FilesManifest.parse("m", Files.readAllBytes(store.resolve(stem + ".manifest.json")));
        assertNull(m.entriesObject());
        FileEntry env0 = m.entries().stream().filter(e -> e.path().endsWith("/.env")).findFirst().orElseThrow();
        assertEquals(FileTrees.sha256(tree.resolve(".env")), env0.sha256());
        assertEquals("0600", env0.mode());
        assertEquals("2022-12-31T23:59:59Z", env0.mtime());
        assertEquals(List.of(tree.resolve("a").toString(), tree.resolve(".env").toString()), m.roots());

        Lifeboat.Result none = Lifeboat.run(env, "restore", "--files", "--latest", "--to", tmp.resolve("x").toString());
        assertEquals(1, none.exit(), "--latest ignores tagged backups: " + none);

        Path to = tmp.resolve("restored");
        Lifeboat.Result restored = Lifeboat.run(env, "restore", "--files", stem, "--to", to.toString(), "--json");
        assertEquals(0, restored.exit(), restored.toString());
        Path base = to.resolve(tree.toString().substring(1));
        FileTrees.assertSameTree(tree.resolve("a"), base.resolve("a"));
        assertEquals(FileTrees.describe(tree).get(".env"), FileTrees.describe(base).get(".env"));

        Path stock = Files.createDirectories(tmp.resolve("stock"));
        sh(Map.of(), "zstd -d -q -c '" + store.resolve(archive) + "' | tar -x -C '" + stock + "'");
        FileTrees.assertSameTree(tree.resolve("a"), stock.resolve(tree.toString().substring(1)).resolve("a"));
    }

    @Test
    void nonEmptyTargetIsRefusedWithoutOverwrite() throws Exception {
        Path tree = FileTrees.standard(tmp.resolve("src"), 0);
        Map<String, String> env = s3Env(newBucket());
        assertEquals(0, Lifeboat.run(env, "backup", "--files", tree.toString()).exit());
        Path to = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(to.resolve("live.txt"), "live data");
        Lifeboat.Result refused = Lifeboat.run(env, "restore", "--files", "--latest", "--to", to.toString());
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("not empty"), refused.err());
        try (var list = Files.list(to)) {
            assertEquals(List.of(to.resolve("live.txt")), list.toList(), "nothing written");
        }
        Lifeboat.Result over = Lifeboat.run(env, "restore", "--files", "--latest", "--to", to.toString(), "--overwrite");
        assertEquals(0, over.exit(), over.toString());
        assertEquals("live data", Files.readString(to.resolve("live.txt")));
        FileTrees.assertSameTree(tree, to.resolve(tree.toString().substring(1)));
        Lifeboat.Result again = Lifeboat.run(env, "restore", "--files", "--latest", "--to", to.toString(), "--overwrite");
        assertEquals(0, again.exit(), "restoring over its own earlier restore replaces the files: " + again);
        FileTrees.assertSameTree(tree, to.resolve(tree.toString().substring(1)));
    }

    @Test
    void aFlippedByteInTheStoredArchiveFailsTheRestoreWithExit3() throws Exception {
        Path tree = FileTrees.standard(tmp.resolve("src"), 3L << 20);
        String bucket = newBucket();
        Map<String, String> env = s3Env(bucket);
        env.put("BACKUP_ENCRYPTION", "off");
        env.remove("BACKUP_GPG_RECIPIENT");
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", tree.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        String archive = Json.mapper().readTree(r.out()).get("key").asText();
        byte[] data = download(bucket, archive);
        data[data.length / 2] ^= 0x01;
        s3.client().putObject(b -> b.bucket(bucket).key(archive), RequestBody.fromBytes(data));
        Path to = tmp.resolve("restored");
        Lifeboat.Result restored = Lifeboat.run(env, "restore", "--files", "--latest", "--to", to.toString());
        assertEquals(3, restored.exit(), restored.toString());
        assertTrue(restored.err().contains("incomplete") && restored.err().contains("do not use"), restored.err());
    }

    @Test
    void noPathsIsAUsageErrorNamingTheVariable() throws Exception {
        Map<String, String> env = s3Env(newBucket());
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("BACKUP_FILES_PATHS"), r.err());
        Lifeboat.Result missing = Lifeboat.run(env, "backup", "--files", tmp.resolve("nope").toString());
        assertEquals(2, missing.exit(), missing.toString());
        Lifeboat.Result noTo = Lifeboat.run(env, "restore", "--files", "--latest");
        assertEquals(2, noTo.exit(), noTo.toString());
        assertTrue(noTo.err().contains("--to"), noTo.err());
    }

    @Test
    void toDirKeepsASecretsBackupOutOfTheConfiguredBucket() throws Exception {
        Path app = tmp.resolve("srv/app");
        FileTrees.file(app.resolve(".env"), "APP_KEY=base64:dG9wIHNlY3JldA==\n", 0600, "2025-05-05T05:05:05Z");
        String bucket = newBucket();
        Map<String, String> env = s3Env(bucket);
        Path vault = tmp.resolve("vault");
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--files", app.resolve(".env").toString(), "--to-dir", vault.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(), keys(bucket), "nothing in the data bucket");
        String archive = Json.mapper().readTree(r.out()).get("key").asText();
        assertTrue(Files.isRegularFile(vault.resolve(archive)), archive);
        Path to = tmp.resolve("restored");
        Lifeboat.Result restored = Lifeboat.run(env, "restore", "--files", "--latest", "--from-dir", vault.toString(), "--to", to.toString());
        assertEquals(0, restored.exit(), restored.toString());
        Path back = to.resolve(app.resolve(".env").toString().substring(1));
        assertEquals(Files.readString(app.resolve(".env")), Files.readString(back));
        assertEquals(FileTrees.describe(app).get(".env"), FileTrees.describe(back.getParent()).get(".env"));
    }
}
