package dev.lifeboat.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.config.Env;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.json.Json;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Real backups for the read-side tests, made once per test JVM with {@code lifeboat backup}
 * against pagila on a real PostgreSQL, into a real S3 server, encrypted to a real gpg key:
 * source {@code app} holds {@link #full} (signed by the same key), then {@link #noFilm}
 * ({@code --exclude-table film}, unsigned), then {@link #tiny} ({@code --table actor}, unsigned).
 * Tests that damage a backup work on a {@linkplain #copy copy} under a source of their own.
 */
final class BackupFixture {
    static final String BUCKET = "verify-tests";
    static final String SOURCE = "app";
    private static BackupFixture instance;

    final PgCluster cluster;
    final S3Server s3;
    final GpgHome gpg;
    final GpgHome.Key key;
    final GpgHome.Key otherKey;
    final Path secret;
    final Path otherSecret;
    final String full;
    final String noFilm;
    final String tiny;
    final String lockDir;

    record Run(int code, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    static synchronized BackupFixture get() throws Exception {
        if (instance == null) instance = new BackupFixture();
        return instance;
    }

    private BackupFixture() throws Exception {
        lockDir = Lifeboat.lockDir();
        cluster = PgCluster.shared();
        cluster.dropDatabase("verify_pagila");
        Fixtures.load(cluster, "verify_pagila", Fixtures.PAGILA);
        s3 = S3Server.shared();
        s3.createBucket(BUCKET);
        gpg = new GpgHome();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gpg.close();
            } catch (IOException ignored) {
                // temporary files only
            }
        }));
        key = gpg.generateCv25519("Backups <backup@verify.test>", "");
        otherKey = gpg.generateCv25519("Someone else <other@verify.test>", "");
        secret = gpg.exportSecret(key.fingerprint(), "");
        otherSecret = gpg.exportSecret(otherKey.fingerprint(), "");
        full = backup(Map.of("BACKUP_GPG_SIGNING_KEY", secret.toString()));
        noFilm = backup(Map.of(), "--exclude-table", "film", "--tag", "nofilm");
        tiny = backup(Map.of(), "--table", "actor", "--tag", "tiny");
    }

    /** Store, database, gpg home and source; no secret key (quick verification only). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(s3.env(BUCKET));
        env.putAll(gpg.env());
        env.put("DATABASE_URL", cluster.url("verify_pagila"));
        env.put("PG_BIN_DIR", cluster.binDir().toString());
        env.put("BACKUP_SOURCE_NAME", SOURCE);
        env.put("BACKUP_LOCK_DIR", lockDir);
        return env;
    }

    /** {@link #env()} with the secret key that decrypts the backups, plus {@code more} (key, value, ...). */
    Map<String, String> envWithKey(String... more) {
        Map<String, String> env = env();
        env.put("BACKUP_GPG_SECRET_KEY", secret.toString());
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return env;
    }

    static Map<String, String> with(Map<String, String> env, String... kv) {
        Map<String, String> out = new LinkedHashMap<>(env);
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }

    /** {@code lifeboat ARGS} in-process with exactly {@code env} (through the harness runner). */
    static Run run(Map<String, String> env, String... args) {
        Lifeboat.Result r = Lifeboat.run(env, args);
        return new Run(r.exit(), r.out(), r.err());
    }

    /** Runs {@code lifeboat backup} into source {@code app}; returns the new backup's stem. */
    private String backup(Map<String, String> extra, String... args) throws IOException {
        Map<String, String> env = env();
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.putAll(extra);
        String[] argv = new String[args.length + 2];
        argv[0] = "backup";
        argv[1] = "--json";
        System.arraycopy(args, 0, argv, 2, args.length);
        Run r = run(env, argv);
        if (r.code() != 0) throw new IllegalStateException("backup failed (" + r.code() + "):\n" + r.all());
        String dumpKey = Json.mapper().readTree(r.out()).get("key").asText();
        return BackupKey.parse(dumpKey).orElseThrow().stem();
    }

    ObjectStore store() {
        return ObjectStores.fromEnv(Env.of(env()));
    }

    /**
     * Copies every object of backup {@code stem} to the same suffixes under a new stem for
     * {@code source} at {@code time}, with the manifest's keys and source rewritten (and then
     * changed by {@code editManifest}); returns the new stem.
     */
    String copy(String stem, String source, Instant time, UnaryOperator<ObjectNode> editManifest) throws IOException {
        BackupKey from = BackupKey.parse(stem + BackupKey.MANIFEST_SUFFIX).orElseThrow();
        BackupKey to = BackupKey.of(BackupKey.PG, source, time, from.tag());
        try (ObjectStore store = store()) {
            CatalogEntry entry = BackupCatalog.read(store, BackupKey.PG, from.source()).find(stem).orElseThrow();
            for (ObjectInfo o : entry.objects()) {
                String suffix = entry.suffixOf(o);
                if (suffix.equals(BackupKey.VERIFIED_SUFFIX)) continue;
                if (suffix.equals(BackupKey.MANIFEST_SUFFIX)) {
                    ObjectNode m = (ObjectNode) Json.mapper().readTree(store.read(o.key()));
                    m.put("source", source);
                    rekey((ObjectNode) m.get("dump"), stem, to.stem());
                    rekey((ObjectNode) m.get("globals"), stem, to.stem());
                    store.put(to.manifestKey(), Json.bytes(editManifest.apply(m)), Map.of(ObjectStore.VERSION_METADATA, "test"));
                } else {
                    store.copy(o.key(), to.stem() + suffix, Map.of(ObjectStore.VERSION_METADATA, "test"));
                }
            }
        }
        return to.stem();
    }

    String copy(String stem, String source) throws IOException {
        return copy(stem, source, BackupKey.parse(stem + BackupKey.MANIFEST_SUFFIX).orElseThrow().time(), m -> m);
    }

    private static void rekey(ObjectNode object, String fromStem, String toStem) {
        object.put("key", toStem + object.get("key").asText().substring(fromStem.length()));
    }

    /** The key of the dump object of a backup (one with a .dump suffix). */
    String dumpKey(String stem) throws IOException {
        try (ObjectStore store = store()) {
            return store.list(stem + ".dump").get(0).key();
        }
    }

    byte[] read(String key) throws IOException {
        try (ObjectStore store = store()) {
            return store.read(key);
        }
    }

    boolean exists(String key) throws IOException {
        try (ObjectStore store = store()) {
            return store.stat(key).isPresent();
        }
    }

    /** Replaces an object's bytes behind lifeboat's back (delete + put through the S3 client, no metadata). */
    void overwrite(String key, byte[] data) {
        s3.client().deleteObject(b -> b.bucket(BUCKET).key(key));
        s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
    }

    void delete(String key) {
        s3.client().deleteObject(b -> b.bucket(BUCKET).key(key));
    }
}
