package dev.lifeboat.store;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where the backup bucket is and how to write to it, from {@code BACKUP_S3_*}. {@code endpoint}
 * is null for AWS itself (virtual-hosted style); when set, requests use path style.
 * {@code accessKey}/{@code secretKey} are both null to use the AWS default credentials chain.
 * {@code sse}, {@code kmsKeyId} and {@code storageClass} are null when not configured.
 * {@link #toString()} never shows the secret.
 */
public record S3Settings(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                         String sse, String kmsKeyId, String storageClass) {

    public static final String DEFAULT_REGION = "us-east-1";

    /** Reads and validates the BACKUP_S3_* variables; a bad one is a config error (exit 2) naming it. */
    public static S3Settings fromEnv(Env env) {
        URI endpoint = env.get("BACKUP_S3_ENDPOINT").map(S3Settings::endpoint).orElse(null);
        String bucket = env.require("BACKUP_S3_BUCKET", "the backup bucket's name");
        Optional<String> accessKey = env.get("BACKUP_S3_ACCESS_KEY");
        Optional<String> secretKey = env.secret("BACKUP_S3_SECRET_KEY");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw LifeboatException.config(accessKey.isPresent()
                    ? "BACKUP_S3_ACCESS_KEY is set but BACKUP_S3_SECRET_KEY is not (set both, or neither for the AWS default credentials)"
                    : "BACKUP_S3_SECRET_KEY is set but BACKUP_S3_ACCESS_KEY is not (set both, or neither for the AWS default credentials)");
        }
        String sse = env.get("BACKUP_S3_SSE").map(v -> env.choice("BACKUP_S3_SSE", v, "AES256", "aws:kms")).orElse(null);
        String kmsKeyId = env.get("BACKUP_S3_KMS_KEY_ID").orElse(null);
        if (kmsKeyId != null && !"aws:kms".equals(sse)) {
            throw LifeboatException.config("BACKUP_S3_KMS_KEY_ID is set but BACKUP_S3_SSE is not aws:kms");
        }
        return new S3Settings(endpoint, env.get("BACKUP_S3_REGION").orElse(DEFAULT_REGION), bucket,
                accessKey.orElse(null), secretKey.orElse(null), sse, kmsKeyId,
                env.get("BACKUP_S3_STORAGE_CLASS").orElse(null));
    }

    /** Parses BACKUP_S3_ENDPOINT: an http(s) URL with a host, else a config error naming the variable. */
    static URI endpoint(String value) {
        String expected = " is not a URL (expected e.g. https://s3.example.com or http://127.0.0.1:9000)";
        try {
            URI uri = new URI(value.trim());
            if (uri.getRawUserInfo() != null) {
                throw LifeboatException.config("BACKUP_S3_ENDPOINT must not contain credentials (use BACKUP_S3_ACCESS_KEY/BACKUP_S3_SECRET_KEY)");
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw LifeboatException.config("BACKUP_S3_ENDPOINT=" + value + expected);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw LifeboatException.config("BACKUP_S3_ENDPOINT=" + value + expected);
        }
    }

    public boolean hasStaticKeys() {
        return accessKey != null;
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket
                + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? "null" : "***")
                + ", sse=" + sse + ", kmsKeyId=" + kmsKeyId + ", storageClass=" + storageClass + "]";
    }
}
