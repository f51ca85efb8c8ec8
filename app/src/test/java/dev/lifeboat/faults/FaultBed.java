package dev.lifeboat.faults;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.json.Json;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every fault test stands on: the shared PostgreSQL cluster, a private S3 server (its
 * proxy is where faults are armed), a gpg home with one encryption key whose secret half is
 * exported for restore/verify/drill, and the checks the fault table repeats: nothing visible in
 * a bucket, the live database's content unchanged, the previous good backup still restorable
 * with stock tools.
 */
final class FaultBed implements AutoCloseable {
    final PgCluster pg;
    final S3Server s3;
    final GpgHome gpg;
    final GpgHome.Key key;
    final Path publicKey;
    final Path secretKey;
    private int buckets;

    private FaultBed(PgCluster pg, S3Server s3, GpgHome gpg, GpgHome.Key key) {
        this.pg = pg;
        this.s3 = s3;
        this.gpg = gpg;
        this.key = key;
        this.publicKey = gpg.exportPublic(key.fingerprint());
        this.secretKey = gpg.exportSecret(key.fingerprint(), "");
    }

    static FaultBed start() throws Exception {
        GpgHome gpg = new GpgHome();
        return new FaultBed(PgCluster.shared(), S3Server.start(), gpg, gpg.generateCv25519("Faults <faults@example.com>", null));
    }

    /** Creates {@code db} with a fixture loaded, unless it exists already. */
    void fixture(String db, String fixture) throws Exception {
        if (!pg.psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + db + "'").isBlank()) return;
        Fixtures.load(pg, db, fixture);
    }

    /** A database with one table of about {@code megabytes} MB (uncompressible md5 text), unless it exists. */
    void bigDatabase(String db, int megabytes) throws Exception {
        if (!pg.psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + db + "'").isBlank()) return;
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE noise AS SELECT g, md5(g::text) || md5((g * 7)::text) AS t "
                + "FROM generate_series(1, " + megabytes * 13_500 + ") g");
    }

    String bucket(String prefix) {
        String b = prefix + "-" + (++buckets);
        s3.createBucket(b);
        return b;
    }

    /** DATABASE_URL, the bucket through the fault proxy, a fresh lock dir, encryption to the key and the key to decrypt. */
    Map<String, String> env(String db, String bucket) throws IOException {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("DATABASE_URL", pg.url(db));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", publicKey.toString());
        env.put("BACKUP_GPG_SECRET_KEY", secretKey.toString());
        return env;
    }

    /** Runs a backup in-process that must succeed; returns its stem (pg/<source>/<date>/<time>[-<tag>]). */
    String backup(Map<String, String> env, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("backup", "--json"));
        args.addAll(List.of(extra));
        Lifeboat.Result r = Lifeboat.run(env, args.toArray(String[]::new));
        assertEquals(0, r.exit(), "backup: " + r);
        String manifest = Json.mapper().readTree(r.out()).get("manifest_key").asText();
        return manifest.substring(0, manifest.length() - ".manifest.json".length());
    }

    /** The same stem twice in one second would collide: waits until the clock's second changes. */
    static void nextSecond() throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 5);
    }

    List<String> objects(String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    int unfinishedUploads(String bucket) {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    /** Exactly these objects (no new ones, none missing) and no unfinished multipart upload. */
    void assertObjects(String bucket, List<String> expected) {
        assertEquals(expected, objects(bucket), "objects in " + bucket);
        assertEquals(0, unfinishedUploads(bucket), "unfinished multipart uploads in " + bucket);
    }

    byte[] read(String bucket, String key) {
        return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    void write(String bucket, String key, byte[] data) {
        s3.client().putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("lifeboat-version", "test")),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
    }

    /**
     * The runbook's manual path: {@code gpg --decrypt X.dump.gz.gpg | gunzip | pg_restore --list},
     * with pipefail. Returns pg_restore's listing.
     */
    String stockRestoreList(String bucket, String stem) throws Exception {
        Path dump = Scratch.file("fault-stock-", ".dump.gz.gpg");
        try {
            Files.write(dump, read(bucket, stem + ".dump.gz.gpg"));
            String listing = sh(gpg.env(), "set -o pipefail; gpg --batch --quiet --decrypt " + dump + " | gunzip > " + dump + ".plain && "
                    + pg.binDir().resolve("pg_restore") + " --list " + dump + ".plain; rc=$?; rm -f " + dump + ".plain; exit $rc");
            assertTrue(listing.contains("TABLE DATA"), listing);
            return listing;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    static String sh(Map<String, String> env, String script) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
        pb.environment().putAll(env);
        File out = Scratch.file("fault-sh-", ".out").toFile();
        File err = Scratch.file("fault-sh-", ".err").toFile();
        try {
            pb.redirectOutput(out).redirectError(err);
            int code = pb.start().waitFor();
            String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            if (code != 0) throw new AssertionError(script + " exited " + code + ": " + Files.readString(err.toPath()));
            return stdout;
        } finally {
            out.delete();
            err.delete();
        }
    }

    /**
     * A fingerprint of a database's content: every user table's exact row count and an md5 of
     * its rows in a fixed order. Equal fingerprints before and after a fault mean "untouched".
     */
    String contentFingerprint(String db) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = pg.jdbc(db); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                    + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) names.add(rs.getString(1));
            }
            for (String t : names) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') "
                        + "FROM ONLY " + t + " x")) {
                    rs.next();
                    tables.put(t, rs.getString(1));
                }
            }
        }
        return tables.toString();
    }

    boolean databaseExists(String db) throws IOException {
        return !pg.psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '" + db + "'").isBlank();
    }

    boolean allowsConnections(String db) throws IOException {
        return pg.psql("postgres", "SELECT datallowconn FROM pg_database WHERE datname = '" + db + "'").strip().equals("t");
    }

    /** Polls {@code condition} every 20 ms for at most {@code seconds}; fails with {@code what} when it never held. */
    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    /** Whether a process with this pid still runs (not a zombie) and is {@code program}. */
    static boolean running(long pid, String program) {
        try {
            Path proc = Path.of("/proc", String.valueOf(pid));
            String stat = Files.readString(proc.resolve("stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) return false;
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).contains(program);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        s3.close();
        gpg.close();
    }
}
