package dev.lifeboat.store;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * Turns SDK exceptions into IOExceptions whose one-line message names the bucket and key and
 * says what to check. The SDK's messages never contain the secret key, and neither do these.
 */
final class S3Errors {
    private S3Errors() {}

    /** The S3 error code ("NoSuchKey", "AccessDenied", ...) or "" for a client-side failure. */
    static String code(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorCode() != null) {
            return ase.awsErrorDetails().errorCode();
        }
        return "";
    }

    static int status(SdkException e) {
        return e instanceof AwsServiceException ase ? ase.statusCode() : 0;
    }

    static boolean isNotFound(SdkException e) {
        String c = code(e);
        return status(e) == 404 && !c.equals("NoSuchBucket") && !c.equals("NoSuchUpload")
                || c.equals("NoSuchKey") || c.equals("NotFound");
    }

    /** {@code what} is the operation ("upload", "list", ...); {@code key} may be null for bucket-wide calls. */
    static IOException translate(String bucket, String key, String what, SdkException e) {
        String where = where(bucket, key);
        if (e instanceof SdkClientException) {
            Throwable root = rootCause(e);
            if (root instanceof InterruptedException || root instanceof InterruptedIOException && !(root instanceof java.net.SocketTimeoutException)) {
                return interrupted(where, what, e);
            }
            return new IOException(where + ": " + what + " failed: " + firstLine(e.getMessage()), e);
        }
        String detail = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && ase.awsErrorDetails().errorMessage() != null ? ase.awsErrorDetails().errorMessage() : firstLine(e.getMessage());
        return refused(bucket, key, what, code(e), status(e), detail, isNotFound(e), e);
    }

    /** The same for a failure of {@link S3Requests} (a refusal by the store, or the connection). */
    static IOException translate(String bucket, String key, String what, IOException e) {
        String where = where(bucket, key);
        if (e instanceof S3Requests.Refused r) return refused(bucket, key, what, r.code(), r.status(), r.detail(), false, e);
        if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) return interrupted(where, what, e);
        return new IOException(where + ": " + what + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())), e);
    }

    /** The store answered with an error: a missing bucket or a refused key is a config error naming what to check. */
    private static IOException refused(String bucket, String key, String what, String code, int status, String detail,
                                       boolean notFound, Exception e) {
        String where = where(bucket, key);
        if (code.equals("NoSuchBucket")) {
            return new StoreConfigException("s3://" + bucket + ": bucket does not exist (check BACKUP_S3_BUCKET and BACKUP_S3_ENDPOINT)", e);
        }
        if (notFound && key != null) {
            NoSuchFileException nf = new NoSuchFileException(key);
            nf.initCause(e);
            return nf;
        }
        if (code.equals("BadDigest")) {
            return new ContentMismatchException(where + ": " + what + " refused: what arrived does not match its Content-MD5"
                    + (detail.isEmpty() ? "" : " (" + detail + ")"), e);
        }
        if (status == 412 || code.equals("PreconditionFailed")) {
            FileAlreadyExistsException fe = new FileAlreadyExistsException(key, null, "already exists in s3://" + bucket + "; objects are never overwritten");
            fe.initCause(e);
            return fe;
        }
        if (status == 403 || code.equals("AccessDenied") || code.equals("InvalidAccessKeyId")
                || code.equals("SignatureDoesNotMatch") || code.equals("ExpiredToken")) {
            return new StoreConfigException(where + ": access denied during " + what + " (" + (code.isEmpty() ? "HTTP 403" : code)
                    + "; check BACKUP_S3_ACCESS_KEY/BACKUP_S3_SECRET_KEY and the bucket policy)", e);
        }
        return new IOException(where + ": " + what + " failed: " + (code.isEmpty() ? "" : code + ": ") + detail
                + (status > 0 ? " (HTTP " + status + ")" : ""), e);
    }

    /** {@code s3://bucket/key}, or {@code s3://bucket} for a bucket-wide call (no key, or the whole bucket's listing). */
    private static String where(String bucket, String key) {
        return "s3://" + bucket + (key == null || key.isEmpty() ? "" : "/" + key);
    }

    private static InterruptedIOException interrupted(String where, String what, Exception e) {
        InterruptedIOException ie = new InterruptedIOException(where + ": " + what + " interrupted");
        ie.initCause(e);
        return ie;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
