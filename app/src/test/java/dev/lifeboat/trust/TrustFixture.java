package dev.lifeboat.trust;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small database per test, one bucket per test, and the helpers the trust tests share. */
final class TrustFixture {
    private TrustFixture() {}

    /** A new database with table {@code ledger} (500 rows) and a sequence. */
    static void smallDatabase(PgCluster pg, String db) throws SQLException {
        pg.createDatabase(db);
        pg.execute(db, "CREATE TABLE ledger (id serial PRIMARY KEY, note text NOT NULL); "
                + "INSERT INTO ledger (note) SELECT 'entry ' || g FROM generate_series(1, 500) g");
    }

    static long count(PgCluster pg, String db, String sql) throws SQLException {
        try (Connection c = pg.jdbc(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every database whose name starts with {@code prefix} (side, pre-restore and drill databases). */
    static List<String> databasesStartingWith(PgCluster pg, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.jdbc("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
            while (rs.next()) if (rs.getString(1).startsWith(prefix)) out.add(rs.getString(1));
        }
        return out;
    }

    static Map<String, String> env(PgCluster pg, S3Server s3, String db, String bucket) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("DATABASE_URL", pg.url(db));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        return env;
    }

    static List<String> keys(S3Server s3, String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    static Manifest manifest(S3Server s3, String bucket, String stem) {
        String key = stem + ".manifest.json";
        return Manifest.parse(key, s3.client().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray());
    }

    /** The long key id (0x + 16 hex digits) of a key's encryption subkey: what a message names as its recipient. */
    static String encryptionKeyId(GpgHome gpg, GpgHome.Key key) {
        List<String> subs = gpg.subkeyFingerprints(key.fingerprint());
        String fpr = subs.get(subs.size() - 1);
        return "0x" + fpr.substring(fpr.length() - 16);
    }

    /** Runs {@code backup --json} and returns the backup's stem (asserting success). */
    static String backup(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("backup", "--json"));
        args.addAll(List.of(extra));
        Lifeboat.Result r = Lifeboat.run(env, args.toArray(String[]::new));
        if (r.exit() != 0) throw new AssertionError("backup failed: " + r);
        String manifestKey = dev.lifeboat.json.Json.mapper().readTree(r.out()).get("manifest_key").asText();
        return manifestKey.substring(0, manifestKey.length() - ".manifest.json".length());
    }
}
