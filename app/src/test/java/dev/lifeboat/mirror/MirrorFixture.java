package dev.lifeboat.mirror;

import dev.lifeboat.harness.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.Main;
import dev.lifeboat.json.Json;
import dev.lifeboat.harness.S3Server;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two buckets on a real S3 server over HTTP: {@code live-<name>} (written with the MinIO client,
 * as the application does) and {@code backup-<name>} (lifeboat's BACKUP_S3_* store); lifeboat
 * reaches both through the server's counting, fault-injecting proxy.
 */
final class MirrorFixture {
    final S3Server server;
    final String live;
    final String backup;
    final Map<String, String> env = new LinkedHashMap<>();
    private final MinioClient minio;

    MirrorFixture(S3Server server, String name) throws IOException {
        this.server = server;
        this.live = "live-" + name;
        this.backup = "backup-" + name;
        server.createBucket(live);
        server.createBucket(backup);
        env.putAll(server.env(backup));
        env.put("MINIO_ENDPOINT", server.endpoint().toString());
        env.put("MINIO_USE_SSL", "false");
        env.put("MINIO_ACCESS_KEY", server.accessKey());
        env.put("MINIO_SECRET_KEY", server.secretKey());
        env.put("MINIO_BUCKET", live);
        env.put("BACKUP_LOCK_DIR", Scratch.dir("lifeboat-locks-").toString());
        minio = MinioClient.builder().endpoint(server.directEndpoint().toString()).region(S3Server.REGION)
                .credentials(server.accessKey(), server.secretKey()).build();
    }

    /** The outcome of one {@code lifeboat mirror ...} run. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return Json.mapper().readTree(out);
        }

        int count(String field) throws IOException {
            return json().get(field).asInt();
        }
    }

    Run mirror(String... args) {
        return run(env, args);
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "mirror";
        System.arraycopy(args, 0, argv, 1, args.length);
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, argv);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void put(String key, byte[] data) throws Exception {
        minio.putObject(PutObjectArgs.builder().bucket(live).object(key).stream(new ByteArrayInputStream(data), (long) data.length, -1L).build());
    }

    /** Writes all objects, 16 at a time. */
    void putAll(Map<String, byte[]> objects) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                done.add(pool.submit(() -> {
                    put(e.getKey(), e.getValue());
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    void deleteLive(String key) throws Exception {
        minio.removeObject(RemoveObjectArgs.builder().bucket(live).object(key).build());
    }

    byte[] liveBytes(String key) throws Exception {
        return server.client().getObjectAsBytes(b -> b.bucket(live).key(key)).asByteArray();
    }

    String liveEtag(String key) {
        return server.client().headObject(b -> b.bucket(live).key(key)).eTag();
    }

    /** Keys and sizes in the backup bucket under {@code prefix}. */
    Map<String, Long> backupSizes(String prefix) {
        Map<String, Long> out = new TreeMap<>();
        for (S3Object o : server.client().listObjectsV2Paginator(b -> b.bucket(backup).prefix(prefix)).contents()) out.put(o.key(), o.size());
        return out;
    }

    Map<String, Long> copySizes() {
        Map<String, Long> out = new TreeMap<>();
        String p = MirrorKeys.copyPrefix(live);
        backupSizes(p).forEach((k, v) -> out.put(k.substring(p.length()), v));
        return out;
    }

    Optional<byte[]> backupBytes(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = server.client().getObjectAsBytes(b -> b.bucket(backup).key(key));
            return Optional.of(r.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    HeadObjectResponse backupHead(String key) {
        return server.client().headObject(b -> b.bucket(backup).key(key));
    }

    byte[] copyBytes(String key) {
        return backupBytes(MirrorKeys.copyKey(live, key)).orElseThrow(() -> new AssertionError("no copy of " + key));
    }

    void deleteBackup(String key) {
        server.client().deleteObject(b -> b.bucket(backup).key(key));
    }

    void writeBackup(String key, byte[] data) {
        server.client().putObject(b -> b.bucket(backup).key(key), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
    }

    LiveBucket liveBucket() {
        return new MinioBucket(MinioSettings.fromEnv(dev.lifeboat.config.Env.of(env)));
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Deterministic pseudo-random content. */
    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
