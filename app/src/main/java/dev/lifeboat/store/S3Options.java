package dev.lifeboat.store;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Locale;
import java.util.Optional;

/**
 * Tells a store's refusal of {@code BACKUP_S3_STORAGE_CLASS}, {@code BACKUP_S3_SSE} or
 * {@code BACKUP_S3_KMS_KEY_ID} apart from other failures of a write, so the error names the
 * variable ("the store rejected BACKUP_S3_STORAGE_CLASS=GLACIER_XX: InvalidStorageClass ...")
 * and exits 2 like any other bad setting. Stores answer differently (AWS: InvalidStorageClass,
 * InvalidArgument, KMS.*; S3Proxy and some others: 501 NotImplemented for SSE), so this goes by
 * code and message, and only when the option is set.
 */
final class S3Options {
    private S3Options() {}

    /** The config error for {@code e} when it is the store refusing a configured option. */
    static Optional<LifeboatException> rejected(S3Settings s, String key, String what, SdkException e) {
        String message = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorMessage() != null ? ase.awsErrorDetails().errorMessage() : "";
        return rejected(s, key, what, S3Errors.code(e), S3Errors.status(e), message, e);
    }

    /** The same for a refusal of one of lifeboat's own requests ({@link S3Requests}). */
    static Optional<LifeboatException> rejected(S3Settings s, String key, String what, S3Requests.Refused e) {
        return rejected(s, key, what, e.code(), e.status(), e.detail(), e);
    }

    private static Optional<LifeboatException> rejected(S3Settings s, String key, String what, String code, int status,
                                                        String message, Exception e) {
        String lower = message.toLowerCase(Locale.ROOT);
        String setting = null;
        String fix = null;
        if (s.storageClass() != null && (code.equals("InvalidStorageClass")
                || (status == 400 || status == 501) && lower.contains("storage class"))) {
            setting = "BACKUP_S3_STORAGE_CLASS=" + s.storageClass();
            fix = "use a storage class the store supports (e.g. STANDARD, STANDARD_IA), or unset it";
        } else if (s.sse() != null && (code.startsWith("KMS.") || code.equals("InvalidEncryptionAlgorithmError")
                || (status == 400 || status == 403 || status == 501)
                && (lower.contains("encryption") || lower.contains("kms")))) {
            setting = "BACKUP_S3_SSE=" + s.sse() + (s.kmsKeyId() == null ? "" : " with BACKUP_S3_KMS_KEY_ID=" + s.kmsKeyId());
            fix = s.kmsKeyId() != null || code.startsWith("KMS.")
                    ? "check that the KMS key exists and that the backup role may use it (kms:GenerateDataKey, kms:Decrypt)"
                    : "unset BACKUP_S3_SSE if the store does not support server-side encryption";
        }
        if (setting == null) return Optional.empty();
        return Optional.of(new LifeboatException(ExitCode.USAGE, "the store rejected " + setting + ": "
                + (code.isEmpty() ? "" : code + ": ") + message.strip() + " (HTTP " + status + ", " + what + " of s3://"
                + s.bucket() + "/" + key + "); " + fix, e));
    }
}
