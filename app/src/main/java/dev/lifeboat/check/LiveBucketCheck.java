package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.net.URI;
import java.util.Iterator;

/**
 * {@code live-bucket}: when MINIO_ENDPOINT is set, the live bucket that mirror copies lists
 * (one object is asked for) with MINIO_ACCESS_KEY/MINIO_SECRET_KEY. MINIO_ENDPOINT is a host,
 * host:port or an http(s) URL; MINIO_PORT and MINIO_USE_SSL complete a bare host.
 */
final class LiveBucketCheck {
    private LiveBucketCheck() {}

    static CheckResult run(Env env) {
        if (env.get("MINIO_ENDPOINT").isEmpty()) return CheckResult.skip("live-bucket", "MINIO_ENDPOINT is not set (no live bucket to mirror)");
        String where = "the live bucket";
        try {
            String bucket = env.require("MINIO_BUCKET", "the live bucket's name");
            String access = env.secret("MINIO_ACCESS_KEY").orElseThrow(() -> LifeboatException.config("MINIO_ACCESS_KEY is not set"));
            String secret = env.secret("MINIO_SECRET_KEY").orElseThrow(() -> LifeboatException.config("MINIO_SECRET_KEY is not set"));
            String endpoint = env.get("MINIO_ENDPOINT").get().trim();
            MinioClient.Builder b = MinioClient.builder().credentials(access, secret).region(env.get("MINIO_REGION").orElse("us-east-1"));
            if (endpoint.contains("://")) {
                URI u = URI.create(endpoint);
                b.endpoint(endpoint);
                where = u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/" + bucket;
            } else {
                boolean ssl = env.bool("MINIO_USE_SSL", true);
                int port = env.integer("MINIO_PORT", ssl ? 443 : 80, 1, 65535);
                b.endpoint(endpoint, port, ssl);
                where = (ssl ? "https://" : "http://") + endpoint + ":" + port + "/" + bucket;
            }
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
