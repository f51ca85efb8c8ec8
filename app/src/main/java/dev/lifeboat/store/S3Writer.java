package dev.lifeboat.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The write requests of {@link S3Store} and {@link S3Upload}: puts and multipart uploads that
 * never replace an existing object (If-None-Match: * where the store supports it, else a HEAD
 * just before), with the configured server-side encryption and storage class.
 */
final class S3Writer {
    private static final Logger log = LoggerFactory.getLogger(S3Writer.class);
    /** Small objects at most this large go through {@link #own} when there is one (larger ones want Expect: 100-continue). */
    static final long OWN_PUT_MAX = 16L << 20;
    private final Supplier<S3Client> s3;
    /** lifeboat's own requests (a store with an endpoint), or null: the SDK for everything. */
    private final S3Requests own;
    /** The start, completion and abort of a multipart upload through {@link #own}, or null. */
    private final S3UploadRequests uploads;
    private final S3Settings settings;
    private final ConditionalWrites conditional;
    /** Whether small PUTs go through {@link #own} (until the store refuses one as unsupported). */
    private final AtomicBoolean ownPuts = new AtomicBoolean(true);
    /** Whether multipart parts go through {@link #own} (until the store refuses one as unsupported). */
    private final AtomicBoolean ownParts = new AtomicBoolean(true);

    /** {@code s3} is asked for the client at each use (it may still be being built, see {@link S3Store}). */
    S3Writer(Supplier<S3Client> s3, S3Requests own, S3Settings settings) {
        this.s3 = s3;
        this.own = own;
        this.uploads = own == null ? null : new S3UploadRequests(own);
        this.settings = settings;
        this.conditional = new ConditionalWrites(describe());
    }

    String bucket() {
        return settings.bucket();
    }

    String describe() {
        return "s3://" + settings.bucket();
    }

    /**
     * A PutObject that must not replace an existing object; returns the ETag. {@code md5Hex}, when
     * known, is sent as Content-MD5 and the store checks it ({@link ContentMismatchException}).
     * A PUT whose first attempt went through but whose answer was lost is retried: the retry then
     * fails its condition, and the object there is our own when its ETag is the MD5 of what we sent.
     */
    String putNew(String key, Supplier<InputStream> content, long size, Map<String, String> metadata, String md5Hex)
            throws IOException {
        if (own != null && ownPuts.get() && size <= OWN_PUT_MAX && S3Requests.plainHeaders(metadata)) {
            return putOwn(key, content, size, metadata, md5Hex);
        }
        return putSdk(key, content, size, metadata, md5Hex);
    }

    private String putSdk(String key, Supplier<InputStream> content, long size, Map<String, String> metadata, String md5Hex)
            throws IOException {
        RequestBody body = RequestBody.fromContentProvider(content::get, size, "application/octet-stream");
        String contentMd5 = md5Hex == null ? null : Etags.contentMd5(md5Hex);
        try {
            if (conditional.on()) {
                try {
                    return S3Store.unquote(s3.get().putObject(put(key, metadata).contentMD5(contentMd5).ifNoneMatch("*").build(), body).eTag());
                } catch (SdkException e) {
                    rejectOption(key, "upload", e);
                    if (S3Errors.status(e) == 412) {
                        String ours = md5Hex != null ? md5Hex : Etags.md5Hex(content.get());
                        if (isOurs(key, ours)) return ours;
                    }
                    if (!conditional.refused(S3Errors.status(e), S3Errors.code(e))) throw e;
                }
            }
            if (exists(key)) throw exists(key, describe());
            return S3Store.unquote(s3.get().putObject(put(key, metadata).contentMD5(contentMd5).build(), body).eTag());
        } catch (SdkException e) {
            rejectOption(key, "upload", e);
            throw S3Errors.translate(bucket(), key, "upload", e);
        }
    }

    /**
     * {@link #putNew} through lifeboat's own request: an unsigned payload with a Content-MD5 (the
     * one given, else computed here) instead of the SDK's SHA-256 of every byte over plain HTTP
     * and its per-request pipeline. The object goes again through the SDK when the connection
     * breaks (a store refusing the request by its headers may answer before the body and drop
     * the connection; the SDK's PUT waits for 100-continue and gets the answer that names the
     * setting to fix), and when the store refuses something of this request as unsupported (501,
     * 400 InvalidArgument): own PUTs are then off for the store. A PUT that went through before
     * a break is recognised as ours, as after any lost answer.
     */
    private String putOwn(String key, Supplier<InputStream> content, long size, Map<String, String> metadata, String md5Hex)
            throws IOException {
        String md5 = md5Hex != null ? md5Hex : Etags.md5Hex(content.get());
        Map<String, String> headers = objectHeaders(metadata);
        headers.put("Content-MD5", Etags.contentMd5(md5));
        boolean ifNoneMatch = conditional.on();
        if (ifNoneMatch) headers.put("If-None-Match", "*");
        else if (exists(key)) throw exists(key, describe());
        try {
            return send(key, headers, content, size);
        } catch (S3Requests.Refused e) {
            rejectOption(key, "upload", e);
            if (e.status() == 412 && ifNoneMatch) {
                if (isOurs(key, md5)) return md5;
                throw S3Errors.translate(bucket(), key, "upload", e);
            }
            if (ownPutRefusedAsUnsupported(e)) return putSdk(key, content, size, metadata, md5);
            throw S3Errors.translate(bucket(), key, "upload", e);
        } catch (BrokenPut e) {
            log.debug("own PUT of {} broke ({}); sending it through the SDK", key, e.getCause().toString());
            // without conditional writes the SDK's check would take our own object for another's
            if (!ifNoneMatch && isOurs(key, md5)) return md5;
            return putSdk(key, content, size, metadata, md5);
        }
    }

    /**
     * Writes {@code data} to {@code key}, replacing what is there (mirror's index): through
     * {@link #own} with a Content-MD5 when there is one and own PUTs are on, else, or when the
     * store refused it as unsupported or the connection broke, through the SDK. Returns the ETag.
     */
    String replace(String key, byte[] data, Map<String, String> metadata) throws IOException {
        if (own != null && ownPuts.get()) {
            Map<String, String> headers = objectHeaders(metadata);
            headers.put("Content-MD5", Etags.contentMd5(Etags.md5Hex(new java.io.ByteArrayInputStream(data))));
            try {
                return send(key, headers, () -> new java.io.ByteArrayInputStream(data), data.length);
            } catch (S3Requests.Refused e) {
                rejectOption(key, "upload", e);
                if (!ownPutRefusedAsUnsupported(e)) throw S3Errors.translate(bucket(), key, "upload", e);
            } catch (BrokenPut e) {
                log.debug("own PUT of {} broke ({}); sending it through the SDK", key, e.getCause().toString());
            }
        }
        try {
            return S3Store.unquote(s3.get().putObject(put(key, metadata).build(), RequestBody.fromBytes(data)).eTag());
        } catch (SdkException e) {
            rejectOption(key, "upload", e);
            throw S3Errors.translate(bucket(), key, "upload", e);
        }
    }

    /** The store refused an own PUT as unsupported: small objects go through the SDK from now on. */
    private boolean ownPutRefusedAsUnsupported(S3Requests.Refused e) {
        if (!ConditionalWrites.unsupported(e.status(), e.code())) return false;
        if (ownPuts.compareAndSet(true, false)) {
            log.info("{} refused lifeboat's own PUT ({}); writing through the SDK from now on", describe(), e.getMessage());
        }
        return true;
    }

    /** A PUT of {@link #own} whose connection broke or timed out (not a refusal by the store). */
    private static final class BrokenPut extends IOException {
        BrokenPut(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** {@link S3Requests#put}: a refusal as it is, an interruption translated, any other failure a {@link BrokenPut}. */
    private String send(String key, Map<String, String> headers, Supplier<InputStream> content, long size) throws IOException {
        try {
            return own.put(key, headers, content, size);
        } catch (S3Requests.Refused e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof java.io.InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                throw S3Errors.translate(bucket(), key, "upload", e);
            }
            throw new BrokenPut(e);
        }
    }

    /** Whether the object that refused our conditional write is what we were writing (a retried write that went through). */
    private boolean isOurs(String key, String md5Hex) throws IOException {
        return md5Hex.equalsIgnoreCase(etagOf(key));
    }

    /** The headers of a new object's own PUT or multipart start: its type, metadata, encryption and storage class. */
    private Map<String, String> objectHeaders(Map<String, String> metadata) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        metadata.forEach((k, v) -> headers.put("x-amz-meta-" + k, v));
        if (settings.sse() != null) headers.put("x-amz-server-side-encryption", settings.sse());
        if (settings.kmsKeyId() != null) headers.put("x-amz-server-side-encryption-aws-kms-key-id", settings.kmsKeyId());
        if (settings.storageClass() != null) headers.put("x-amz-storage-class", settings.storageClass());
        return headers;
    }

    /**
     * Whether a multipart upload is started, completed and aborted through {@link #own} (with its
     * parts): a backup then never needs the SDK's client, whose setting up and first request
     * cost a tenth of a second and more of CPU in every run. Off, as own parts, once the store
     * refused an own request as unsupported.
     */
    private boolean ownMultipart() {
        return own != null && ownParts.get();
    }

    /** The store refused an own multipart request as unsupported: parts and the rest of multipart go through the SDK from now on. */
    private boolean ownRefusedAsUnsupported(S3Requests.Refused e, String what) {
        if (!ConditionalWrites.unsupported(e.status(), e.code())) return false;
        if (ownParts.compareAndSet(true, false)) {
            log.info("{} refused lifeboat's own request to {} ({}); uploading parts through the SDK from now on", describe(), what, e.getMessage());
        }
        return true;
    }

    String startMultipart(String key, Map<String, String> metadata) throws IOException {
        if (ownMultipart()) {
            try {
                return uploads.start(key, objectHeaders(metadata));
            } catch (S3Requests.Refused e) {
                rejectOption(key, "start upload", e);
                if (!ownRefusedAsUnsupported(e, "start an upload")) throw S3Errors.translate(bucket(), key, "start upload", e);
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "start upload", e);
            }
        }
        try {
            return s3.get().createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket()).key(key).metadata(metadata)
                    .contentType("application/octet-stream").serverSideEncryption(settings.sse())
                    .ssekmsKeyId(settings.kmsKeyId()).storageClass(settings.storageClass()).build()).uploadId();
        } catch (SdkException e) {
            rejectOption(key, "start upload", e);
            throw S3Errors.translate(bucket(), key, "start upload", e);
        }
    }

    /**
     * Part {@code number} of the upload: through lifeboat's own request when there is one (an
     * unsigned payload with a Content-MD5, see {@link #partOwn}), else, or when that one could not
     * deliver it, through the SDK (whose payload is signed with its SHA-256 over plain HTTP).
     */
    CompletedPart uploadPart(String key, String uploadId, int number, PartBuffer part) throws IOException {
        if (own != null && ownParts.get()) {
            String etag = partOwn(key, uploadId, number, part);
            // quoted, as the SDK gives a part's ETag (and as the completion's list carries it)
            if (etag != null) return CompletedPart.builder().partNumber(number).eTag("\"" + etag + "\"").build();
        }
        try {
            String etag = s3.get().uploadPart(b -> b.bucket(bucket()).key(key).uploadId(uploadId).partNumber(number).contentLength(part.size()),
                    RequestBody.fromContentProvider(part::newStream, part.size(), "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        } catch (SdkException e) {
            throw S3Errors.translate(bucket(), key, "upload part " + number, e);
        }
    }

    /**
     * The part through {@link #own}: its MD5 is computed here (on the upload's thread) and sent as
     * Content-MD5, which the store checks against what it received (with the MD5 it computes for
     * the part's ETag anyway), instead of the SDK's SHA-256 of the payload for its signature,
     * which the store would hash again to check. Returns null when the part is to go through the
     * SDK instead: the store refused the request as unsupported (own parts are then off for the
     * store), refused the content as not matching its MD5 (damaged on the way: sent again, signed),
     * or the connection broke (the SDK's retries take over, and a store that refuses a request
     * by its headers before its body gets to say why). Any other refusal is final, as the SDK's.
     */
    private String partOwn(String key, String uploadId, int number, PartBuffer part) throws IOException {
        String what = "upload part " + number;
        String md5 = Etags.md5Hex(part.newStream());
        try {
            return own.putPart(key, uploadId, number, md5, part::newStream, part.size());
        } catch (S3Requests.Refused e) {
            if (ownRefusedAsUnsupported(e, "upload a part")) return null;
            if (e.code().equals("BadDigest") || e.code().equals("InvalidDigest")) {
                log.warn("{} received part {} of {} damaged ({}); sending it again through the SDK", describe(), number, key, e.getMessage());
                return null;
            }
            throw S3Errors.translate(bucket(), key, what, e);
        } catch (java.io.InterruptedIOException e) {
            if (e instanceof java.net.SocketTimeoutException) return brokenPart(key, number, e);
            throw S3Errors.translate(bucket(), key, what, e);
        } catch (IOException e) {
            return brokenPart(key, number, e);
        }
    }

    private static String brokenPart(String key, int number, IOException e) {
        log.debug("own upload of part {} of {} broke ({}); sending it through the SDK", number, key, e.toString());
        return null;
    }

    String completeMultipart(String key, String uploadId, List<CompletedPart> parts) throws IOException {
        if (ownMultipart()) {
            try {
                return completeOwn(key, uploadId, parts);
            } catch (S3Requests.Refused e) {
                if (!ownRefusedAsUnsupported(e, "complete an upload")) throw S3Errors.translate(bucket(), key, "complete upload", e);
            }
        }
        try {
            if (conditional.on()) {
                try {
                    return S3Store.unquote(s3.get().completeMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId).ifNoneMatch("*")
                            .multipartUpload(m -> m.parts(parts))).eTag());
                } catch (SdkException e) {
                    if (S3Errors.status(e) == 412 || "NoSuchUpload".equals(S3Errors.code(e))) {
                        String there = etagOf(key);
                        if (Etags.multipart(parts).equalsIgnoreCase(there)) return there;
                    }
                    if (!conditional.refused(S3Errors.status(e), S3Errors.code(e))) throw e;
                }
            }
            if (exists(key)) throw exists(key, describe());
            return S3Store.unquote(s3.get().completeMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag());
        } catch (SdkException e) {
            throw S3Errors.translate(bucket(), key, "complete upload", e);
        }
    }

    /**
     * {@link #completeMultipart} through {@link #own}, with the same conditions: If-None-Match: *
     * while the store honours it, and a completion whose answer was lost (412 or NoSuchUpload on
     * its retry) is ours when the object's ETag is that of our parts. A refusal as unsupported
     * comes back to the caller as it is; other failures are translated.
     */
    private String completeOwn(String key, String uploadId, List<CompletedPart> parts) throws IOException {
        if (conditional.on()) {
            try {
                return uploads.complete(key, uploadId, parts, Map.of("If-None-Match", "*"));
            } catch (S3Requests.Refused e) {
                if (e.status() == 412 || "NoSuchUpload".equals(e.code())) {
                    String there = etagOf(key);
                    if (Etags.multipart(parts).equalsIgnoreCase(there)) return there;
                }
                if (!conditional.refused(e.status(), e.code())) throw completionRefused(key, e);
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "complete upload", e);
            }
        }
        if (exists(key)) throw exists(key, describe());
        try {
            return uploads.complete(key, uploadId, parts, Map.of());
        } catch (S3Requests.Refused e) {
            throw completionRefused(key, e);
        } catch (IOException e) {
            throw S3Errors.translate(bucket(), key, "complete upload", e);
        }
    }

    /** A refused completion, translated; one refused as unsupported is thrown as it is (the caller goes to the SDK). */
    private IOException completionRefused(String key, S3Requests.Refused e) throws S3Requests.Refused {
        if (ConditionalWrites.unsupported(e.status(), e.code())) throw e;
        return S3Errors.translate(bucket(), key, "complete upload", e);
    }

    void abortMultipart(String key, String uploadId) throws IOException {
        if (ownMultipart()) {
            try {
                uploads.abort(key, uploadId);
                return;
            } catch (S3Requests.Refused e) {
                if ("NoSuchUpload".equals(e.code())) return;
                if (!ownRefusedAsUnsupported(e, "abort an upload")) throw S3Errors.translate(bucket(), key, "abort upload", e);
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "abort upload", e);
            }
        }
        try {
            s3.get().abortMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            if (!"NoSuchUpload".equals(S3Errors.code(e))) throw S3Errors.translate(bucket(), key, "abort upload", e);
        }
    }

    /** Throws the config error naming BACKUP_S3_SSE/KMS_KEY_ID/STORAGE_CLASS when {@code e} is the store refusing one. */
    void rejectOption(String key, String what, SdkException e) {
        S3Options.rejected(settings, key, what, e).ifPresent(le -> {
            throw le;
        });
    }

    private void rejectOption(String key, String what, S3Requests.Refused e) {
        S3Options.rejected(settings, key, what, e).ifPresent(le -> {
            throw le;
        });
    }

    /** {@link ConditionalWrites#proven}, with the probe written through the SDK. */
    boolean conditionalWritesProven(String nearKey) {
        return conditional.proven(nearKey, (key, body) -> s3.get().putObject(put(key, Map.of()).ifNoneMatch("*").build(), RequestBody.fromBytes(body)));
    }

    /** The ETag of the object at {@code key}, or "" when there is none. */
    private String etagOf(String key) throws IOException {
        if (own != null) {
            try {
                return own.head(key).map(o -> o.etag() == null ? "" : o.etag()).orElse("");
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "stat", e);
            }
        }
        try {
            return S3Store.unquote(s3.get().headObject(b -> b.bucket(bucket()).key(key)).eTag());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return "";
            throw S3Errors.translate(bucket(), key, "stat", e);
        }
    }

    private boolean exists(String key) throws IOException {
        if (own != null) {
            try {
                return own.head(key).isPresent();
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "stat", e);
            }
        }
        try {
            s3.get().headObject(b -> b.bucket(bucket()).key(key));
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return false;
            throw S3Errors.translate(bucket(), key, "stat", e);
        }
    }

    static FileAlreadyExistsException exists(String key, String where) {
        return new FileAlreadyExistsException(key, null, "already exists in " + where + "; objects are never overwritten");
    }

    /** A PutObject request with metadata, content type, SSE and storage class. */
    PutObjectRequest.Builder put(String key, Map<String, String> metadata) {
        return PutObjectRequest.builder().bucket(bucket()).key(key).metadata(metadata).contentType("application/octet-stream")
                .serverSideEncryption(settings.sse()).ssekmsKeyId(settings.kmsKeyId()).storageClass(settings.storageClass());
    }
}
