package dev.lifeboat.backup;

import dev.lifeboat.harness.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `lifeboat backup` against a real PostgreSQL (pagila), a real S3 server over HTTP and real gpg keys. */
class BackupCommandTest {
    static final String DB = "pagila_backup";
    static PgCluster pg;
    static S3Server s3;
    static GpgHome gpg;
    static GpgHome.Key rsa;
    static GpgHome.Key cv;
    static int bucketCounter;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        Fixtures.load(pg, DB, Fixtures.PAGILA);
        s3 = S3Server.shared();
        gpg = new GpgHome();
        rsa = gpg.generateRsa("Backup RSA <rsa@example.com>", null);
        cv = gpg.generateCv25519("Backup CV <cv@example.com>", null);
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    static String newBucket() {
        String b = "backup-test-" + (++bucketCounter);
        s3.createBucket(b);
        return b;
    }

    static Map<String, String> baseEnv() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("GNUPGHOME", gpg.home().toString());
        return env;
    }

    static Map<String, String> s3Env(String bucket, GpgHome.Key key) throws Exception {
        Map<String, String> env = baseEnv();
        env.putAll(s3.env(bucket));
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
        return env;
    }

    static List<String> keys(String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    static byte[] download(String bucket, String key) {
        return s3.client().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    static Manifest manifestIn(String bucket) {
        String key = keys(bucket).stream().filter(k -> k.endsWith(".manifest.json")).findFirst().orElseThrow();
        return Manifest.parse(key, download(bucket, key));
    }

    /** Runs a shell pipeline of stock tools; fails the test with its stderr when it fails. */
    static String sh(Map<String, String> env, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; " + script);
        pb.environment().putAll(env);
        Path err = Scratch.file("sh", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        assertEquals(0, code, "stock pipeline failed: " + script + "\n" + Files.readString(err));
        return out;
    }

    @Test
    void pagilaRoundTripsThroughStockGpgGunzipPgRestore() throws Exception {
        String bucket = newBucket();
        Lifeboat.Result r = Lifeboat.run(s3Env(bucket, rsa), "backup", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode report = Json.mapper().readTree(r.out());
        String dumpKey = report.get("key").asText();
        assertTrue(dumpKey.matches("pg/" + DB + "/\\d{4}-\\d\\d-\\d\\d/\\d{6}\\.dump\\.gz\\.gpg"), dumpKey);
        List<String> keys = keys(bucket);
        assertEquals(3, keys.size(), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.endsWith(".globals.sql.gz.gpg")), keys.toString());
        Manifest m = manifestIn(bucket);
        assertEquals("public-key", m.encryption().mode());
        assertTrue(m.encryption().recipients().contains(rsa.fingerprint()), m.encryption().recipients().toString());
        assertTrue(m.tables().size() >= 20, "pagila has 20+ tables with data: " + m.tables().size());
        assertTrue(m.tables().stream().anyMatch(t -> t.name().startsWith("payment_p")), "partitions carry the rows");
        assertFalse(m.tables().stream().anyMatch(t -> t.name().equals("payment")), "a partitioned parent has no data entry");

        Path dump = Scratch.file("pagila", ".dump.gz.gpg");
        Files.write(dump, download(bucket, dumpKey));
        pg.createDatabase("pagila_stock_restore");
        Map<String, String> env = new HashMap<>(gpg.env());
        env.put("PGPASSWORD", pg.password());
        sh(env, "gpg --batch --quiet --decrypt " + dump + " | gunzip | " + pg.binDir().resolve("pg_restore")
                + " --exit-on-error --no-owner -h 127.0.0.1 -p " + pg.port() + " -U postgres -d pagila_stock_restore");
        try (Connection c = pg.jdbc("pagila_stock_restore"); Connection live = pg.jdbc(DB)) {
            for (Manifest.TableEntry t : m.tables()) {
                String q = "SELECT count(*) FROM ONLY \"" + t.schema() + "\".\"" + t.name() + "\"";
                assertEquals(t.rows(), count(c, q), "restored " + t.schema() + "." + t.name());
                assertEquals(t.rows(), count(live, q), "live " + t.schema() + "." + t.name());
            }
        }
        pg.dropDatabase("pagila_stock_restore");
    }

    static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest(name = "{0} + {1} into {2}")
    @CsvSource({"cv25519, zstd, s3", "passphrase, none, local", "rsa, gzip, local", "off, gzip, s3"})
    void everyEncryptionCompressionAndStoreDecodesWithStockTools(String encryption, String compression, String store) throws Exception {
        Map<String, String> env = baseEnv();
        String bucket = null;
        Path dir = null;
        if (store.equals("s3")) {
            bucket = newBucket();
            env.putAll(s3.env(bucket));
        } else {
            dir = Scratch.dir("lifeboat-store-");
            env.put("BACKUP_DIR", dir.toString());
        }
        switch (encryption) {
            case "cv25519" -> {
                env.put("BACKUP_GPG_RECIPIENT", "cv@example.com");
            }
            case "rsa" -> {
                env.put("BACKUP_GPG_RECIPIENT", rsa.keyId());
                env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(rsa.fingerprint()).toString());
            }
            case "passphrase" -> env.put("BACKUP_GPG_PASSPHRASE", "correct horse battery staple");
            default -> env.put("BACKUP_ENCRYPTION", "off");
        }
        env.put("BACKUP_COMPRESSION", compression);
        Lifeboat.Result r = Lifeboat.run(env, "backup", "--json");
        assertEquals(0, r.exit(), r.toString());
        String key = Json.mapper().readTree(r.out()).get("key").asText();
        String suffix = (compression.equals("gzip") ? ".gz" : compression.equals("zstd") ? ".zst" : "")
                + (encryption.equals("off") ? "" : ".gpg");
        assertTrue(key.endsWith(".dump" + suffix), key + " should end with .dump" + suffix);

        Path object = Scratch.file("object", suffix);
        Manifest m;
        if (bucket != null) {
            Files.write(object, download(bucket, key));
            m = manifestIn(bucket);
        } else {
            Files.copy(dir.resolve(key), object, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> files = Files.walk(dir)) {
                Path mf = files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow();
                m = Manifest.parse(mf.toString(), Files.readAllBytes(mf));
            }
        }
        String decrypt = switch (encryption) {
            case "off" -> "cat " + object;
            case "passphrase" -> "gpg --batch --quiet --pinentry-mode loopback --passphrase-file "
                    + gpg.passFile("correct horse battery staple") + " --decrypt " + object;
            default -> "gpg --batch --quiet --decrypt " + object;
        };
        String decompress = switch (compression) {
            case "gzip" -> " | gunzip";
            case "zstd" -> " | zstd -d -q";
            default -> "";
        };
        Path plain = Scratch.file("plain", ".dump");
        sh(gpg.env(), decrypt + decompress + " > " + plain);
        assertTrue(sh(Map.of(), pg.binDir().resolve("pg_restore") + " --list " + plain).contains("TABLE DATA public actor"));
        ArchiveContents contents = ArchiveReader.read(new ByteArrayInputStream(Files.readAllBytes(plain)));
        assertTrue(contents.missingData().isEmpty());
        for (Manifest.TableEntry t : m.tables()) {
            assertEquals(t.rows(), contents.rowsOf(t.schema(), t.name()), t.schema() + "." + t.name());
        }
        assertEquals(Files.size(plain), m.dumpBytes());
        assertEquals(Files.size(object), m.storedBytes());
    }

    @Test
    void filtersDecideWhatIsDumpedAndCounted() throws Exception {
        String bucket = newBucket();
        Lifeboat.Result r = Lifeboat.run(s3Env(bucket, rsa), "backup", "--tag", "pre-deploy",
                "--exclude-table", "film_actor", "--exclude-table-data", "rental");
        assertEquals(0, r.exit(), r.toString());
        Manifest m = manifestIn(bucket);
        assertEquals("pre-deploy", m.tag());
        assertTrue(keys(bucket).stream().allMatch(k -> k.contains("-pre-deploy.")), keys(bucket).toString());
        assertFalse(m.tables().stream().anyMatch(t -> t.name().equals("film_actor") || t.name().equals("rental")));
        List<String> left = m.excludedTables().stream().map(Manifest.TableName::name).toList();
        assertTrue(left.contains("film_actor") && left.contains("rental"), left.toString());
        assertEquals(List.of("film_actor"), m.filters().excludeTable());
    }
}
