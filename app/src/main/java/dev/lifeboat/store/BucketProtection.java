package dev.lifeboat.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DefaultRetention;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;

/**
 * What keeps a deleted or overwritten backup recoverable inside the bucket itself: versioning
 * ({@code Enabled}, {@code Suspended}, {@code off}) and object lock ({@code off}, or
 * {@code Enabled} with its default retention). A question the store cannot or may not answer
 * is described, not thrown: this is information for {@code lifeboat check}, never a failure.
 */
public record BucketProtection(String versioning, String objectLock) {

    static BucketProtection of(S3Client s3, String bucket) {
        return new BucketProtection(versioning(s3, bucket), objectLock(s3, bucket));
    }

    private static String versioning(S3Client s3, String bucket) {
        try {
            String status = s3.getBucketVersioning(b -> b.bucket(bucket)).statusAsString();
            return status == null || status.isEmpty() ? "off" : status;
        } catch (SdkException e) {
            return unknown(e, "s3:GetBucketVersioning");
        }
    }

    private static String objectLock(S3Client s3, String bucket) {
        try {
            ObjectLockConfiguration c = s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
            if (c == null || !"Enabled".equals(c.objectLockEnabledAsString())) return "off";
            DefaultRetention r = c.rule() == null ? null : c.rule().defaultRetention();
            if (r == null) return "Enabled (no default retention)";
            return "Enabled (" + r.modeAsString() + ", " + (r.days() != null ? r.days() + " days" : r.years() + " years") + ")";
        } catch (SdkException e) {
            if ("ObjectLockConfigurationNotFoundError".equals(S3Errors.code(e)) || S3Errors.status(e) == 404) return "off";
            return unknown(e, "s3:GetBucketObjectLockConfiguration");
        }
    }

    private static String unknown(SdkException e, String permission) {
        int status = S3Errors.status(e);
        if (status == 501) return "not supported by the store";
        if (status == 403) return "unknown (" + permission + " denied)";
        String code = S3Errors.code(e);
        return "unknown (" + (code.isEmpty() ? e.getClass().getSimpleName() : code) + ")";
    }
}
