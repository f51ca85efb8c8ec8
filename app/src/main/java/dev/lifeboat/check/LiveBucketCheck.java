package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.mirror.MinioSettings;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.util.Iterator;

/**
 * {@code live-bucket}: when MINIO_ENDPOINT is set, the live bucket that mirror copies lists
 * with MINIO_ACCESS_KEY/MINIO_SECRET_KEY. The settings are mirror's own ({@link MinioSettings});
 * the listing asks for one object only (mirror's {@code LiveBucket.list} would list them all).
 */
final class LiveBucketCheck {
    private LiveBucketCheck() {}

    static CheckResult run(Env env) {
        if (env.get("MINIO_ENDPOINT").isEmpty()) return CheckResult.skip("live-bucket", "MINIO_ENDPOINT is not set (no live bucket to mirror)");
        String where = "the live bucket";
        try {
            MinioSettings m = MinioSettings.fromEnv(env);
            where = m.describe();
            String bucket = m.bucket();
            MinioClient.Builder b = MinioClient.builder().credentials(m.accessKey(), m.secretKey()).region(m.region())
                    .endpoint(m.host(), m.port(), m.ssl());
            try (MinioClient client = b.build()) {
                Iterator<Result<Item>> it = client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).maxKeys(1).build()).iterator();
                String first = it.hasNext() ? it.next().get().objectName() : null;
                return CheckResult.ok("live-bucket", where + " lists" + (first == null ? " (it is empty)" : " (first object: " + first + ")"));
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            return CheckResult.fail("live-bucket", where + ": " + code + " " + (e.errorResponse() == null ? "" : e.errorResponse().message()),
                    code.equals("NoSuchBucket") ? "check MINIO_BUCKET" : "check MINIO_ACCESS_KEY/MINIO_SECRET_KEY and that the key may list and read the bucket");
        } catch (LifeboatException e) {
            return CheckResult.fail("live-bucket", e.getMessage(), "set MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY");
        } catch (Exception e) {
            return CheckResult.fail("live-bucket", where + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "check MINIO_ENDPOINT, MINIO_PORT and MINIO_USE_SSL");
        }
    }
}
