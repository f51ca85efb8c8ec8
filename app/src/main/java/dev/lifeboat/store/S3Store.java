package dev.lifeboat.store;

import dev.lifeboat.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An S3 bucket (AWS or any S3-compatible store) as an {@link ObjectStore}. Uploads stream as
 * pipelined multipart uploads ({@link S3Upload}); downloads resume after a broken connection
 * ({@link S3Download}); SDK failures become IOExceptions naming bucket and key; copies use CopyObject (≤ 5 GB).
 */
public final class S3Store implements ObjectStore {
    private static final Logger log = LoggerFactory.getLogger(S3Store.class);
    /** Where parts larger than the heap allows are spooled (files unlinked at once). */
    private static final java.nio.file.Path SPOOL_DIR = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));

    /** The SDK's client, built when first needed (see the constructor). */
    private final Client s3;
    /** Listings: lifeboat's own reader for a path-style endpoint, the SDK's paginator for AWS itself. */
    private final PrefixWalk.Lister<ObjectInfo> lister;
    private final S3Settings settings;
    private final S3Writer writer;
    /** lifeboat's own requests (a store with an endpoint), or null. */
    private final S3Requests own;
    private final java.util.concurrent.atomic.AtomicBoolean batchDeletes = new java.util.concurrent.atomic.AtomicBoolean(true);

    /** A store over its own client built from {@code settings}; {@link #close()} closes it. */
    public S3Store(S3Settings settings) {
        this(settings, settings.endpoint() != null);
    }

    /**
     * {@code ownRequests}: list, put small objects and upload multipart parts through lifeboat's own requests
     * ({@link S3Listing}, {@link S3Requests}; needs an endpoint) rather than the SDK.
     */
    S3Store(S3Settings settings, boolean ownRequests) {
        this.settings = settings;
        var credentials = S3Clients.credentials(settings);
        this.own = ownRequests ? new S3Requests(settings.endpoint(), settings.bucket(), settings.region(), credentials, null, null) : null;
        // Building the SDK's client sets up a few hundred classes, and its first request as many
        // again: a tenth of a second and more of CPU in every run. A store with an endpoint
        // needs it only for what its own requests do not do (downloads, copies, deletes, a
        // fallback; a backup needs none of it), so it is built when first needed. The first
        // signing of an own request is readied on a thread of its own meanwhile.
        this.s3 = new Client(() -> S3Clients.create(settings, credentials));
        if (own != null) {
            Thread warmUp = new Thread(own::warmUp, "lifeboat-s3-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        this.writer = new S3Writer(s3, own, settings);
        this.lister = own != null ? S3Lister.own(new S3Listing(own), settings.bucket()) : S3Lister.sdk(s3, settings.bucket());
    }

    /** Builds the SDK's client now rather than at its first use (see {@link ObjectStores#open}). */
    void buildClient() {
        s3.get();
    }

    /** BACKUP_S3_* from the environment; a bad variable is a config error naming it. */
    public static S3Store fromEnv(Env env) {
        return new S3Store(S3Settings.fromEnv(env));
    }

    /** The multipart part size for an object of about {@code sizeHint} bytes; see {@link PartPlan#partSize}. */
    public static long partSize(long sizeHint) {
        return PartPlan.partSize(sizeHint);
    }

    /** How the parts of an upload of about {@code sizeHint} bytes are held in a heap of at most {@code maxHeap} bytes. */
    static PartPlan partPlan(long sizeHint, long maxHeap) {
        return PartPlan.of(partSize(sizeHint), maxHeap);
    }

    String bucket() {
        return settings.bucket();
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket();
    }

    @Override
    public PendingObject create(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        if (stat(key).isPresent()) throw exists(key);
        return upload(key, metadata, null, sizeHint, partPlan(sizeHint, Runtime.getRuntime().maxMemory()), SPOOL_DIR);
    }

    /** {@link #create} with the parts held as {@code plan} says, spooled (if at all) in {@code spoolDir}. */
    PendingObject createWith(String key, Map<String, String> metadata, PartPlan plan, java.nio.file.Path spoolDir) throws IOException {
        if (stat(key).isPresent()) throw exists(key);
        return upload(key, metadata, null, -1, plan, spoolDir);
    }

    /**
     * Without the HEAD of {@link #create} once this store has refused a conditional write
     * ({@link S3Writer#conditionalWritesProven}): every commit then carries If-None-Match: *.
     */
    @Override
    public PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        return createAbsent(key, metadata, sizeHint, null);
    }

    /** {@link #createAbsent(String, Map, long)}; an object sent as one PUT carries {@code expectedMd5} as its Content-MD5. */
    @Override
    public PendingObject createAbsent(String key, Map<String, String> metadata, long sizeHint, String expectedMd5) throws IOException {
        PartPlan plan = partPlan(sizeHint, Runtime.getRuntime().maxMemory());
        if (!writer.conditionalWritesProven(key)) {
            if (stat(key).isPresent()) throw exists(key);
        }
        return upload(key, metadata, expectedMd5, sizeHint, plan, SPOOL_DIR);
    }

    private S3Upload upload(String key, Map<String, String> metadata, String expectedMd5, long sizeHint, PartPlan plan,
                            java.nio.file.Path spoolDir) {
        if (plan.spooled()) {
            log.debug("parts of {} MiB for {}: {} MiB of each in memory, the rest in {}", plan.partSize() >> 20, key,
                    plan.memoryPerBuffer() >> 20, spoolDir);
        }
        return new S3Upload(writer, key, metadata, expectedMd5, sizeHint, plan, spoolDir);
    }

    @Override
    public ObjectInfo replace(String key, byte[] data, Map<String, String> metadata) throws IOException {
        return new ObjectInfo(key, data.length, Instant.now(), writer.replace(key, data, metadata), metadata);
    }

    /**
     * A small object whole: through lifeboat's own GET when there is an endpoint (mirror's
     * index, read while the listings run, then needs no SDK client), else as {@link #open} reads it.
     * A missing object is a {@link java.nio.file.NoSuchFileException}, as through the SDK.
     */
    @Override
    public byte[] read(String key) throws IOException {
        if (own == null) return ObjectStore.super.read(key);
        S3Requests.Download d;
        try {
            d = own.get(key);
        } catch (S3Requests.Refused e) {
            if (e.status() == 404 && !e.code().equals("NoSuchBucket")) {
                java.nio.file.NoSuchFileException nf = new java.nio.file.NoSuchFileException(key);
                nf.initCause(e);
                throw nf;
            }
            throw S3Errors.translate(bucket(), key, "download", e);
        } catch (IOException e) {
            throw S3Errors.translate(bucket(), key, "download", e);
        }
        try (InputStream in = d.body()) {
            byte[] data = in.readAllBytes();
            if (d.size() >= 0 && data.length != d.size()) throw new IOException("read " + data.length + " bytes of " + d.size());
            return data;
        } catch (java.io.InterruptedIOException e) {
            if (!(e instanceof java.net.SocketTimeoutException)) throw S3Errors.translate(bucket(), key, "download", e);
            log.debug("own read of {} timed out; reading it through the SDK, which resumes", key);
            return ObjectStore.super.read(key);
        } catch (IOException e) {
            log.debug("own read of {} broke ({}); reading it through the SDK, which resumes", key, e.toString());
            return ObjectStore.super.read(key);
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        S3Download.Opener opener = (position, etag) -> get(key, position, etag);
        ResponseInputStream<GetObjectResponse> first;
        try {
            first = s3.get().getObject(GetObjectRequest.builder().bucket(bucket()).key(key)
                    .range(offset > 0 ? "bytes=" + offset + "-" : null).build());
        } catch (SdkException e) {
            if (S3Errors.status(e) == 416) return InputStream.nullInputStream(); // offset at or past the end
            throw S3Errors.translate(bucket(), key, "download", e);
        }
        return new S3Download(describe() + "/" + key, opener, first, offset);
    }

    private ResponseInputStream<GetObjectResponse> get(String key, long position, String etag) throws IOException {
        try {
            return s3.get().getObject(GetObjectRequest.builder().bucket(bucket()).key(key)
                    .range("bytes=" + position + "-").ifMatch(etag).build());
        } catch (SdkException e) {
            if (S3Errors.status(e) == 412) throw new IOException(describe() + "/" + key + ": object changed during the download", e);
            throw S3Errors.translate(bucket(), key, "download", e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        if (own != null) {
            try {
                return own.head(key);
            } catch (IOException e) {
                throw S3Errors.translate(bucket(), key, "stat", e);
            }
        }
        try {
            HeadObjectResponse h = s3.get().headObject(b -> b.bucket(bucket()).key(key));
            return Optional.of(new ObjectInfo(key, h.contentLength(), h.lastModified(), unquote(h.eTag()), h.metadata()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) return Optional.empty();
            throw S3Errors.translate(bucket(), key, "stat", e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> out = new ArrayList<>(lister.all(prefix));
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public List<ObjectInfo> list(String prefix, int threads) throws IOException {
        return PrefixWalk.sorted(lister::level, lister::all, threads, prefix, ObjectInfo::key);
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.get().deleteObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) throw S3Errors.translate(bucket(), key, "delete", e);
        }
    }

    @Override
    public Map<String, String> deleteAll(List<String> keys) throws IOException {
        Map<String, String> failed = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i += 1000) {
            List<String> batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            if (!batchDeletes.get() || !deleteBatch(batch, failed)) {
                for (String key : batch) {
                    try {
                        delete(key);
                    } catch (IOException e) {
                        failed.put(key, e.getMessage());
                    }
                }
            }
        }
        return failed;
    }

    /** One DeleteObjects call; false when the store refuses batch deletes (then one by one). */
    private boolean deleteBatch(List<String> batch, Map<String, String> failed) throws IOException {
        List<ObjectIdentifier> ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        try {
            DeleteObjectsResponse r = s3.get().deleteObjects(b -> b.bucket(bucket()).delete(Delete.builder().objects(ids).quiet(true).build()));
            for (S3Error err : r.errors()) {
                if (!"NoSuchKey".equals(err.code())) failed.put(err.key(), err.code() + ": " + err.message());
            }
            return true;
        } catch (SdkException e) {
            int status = S3Errors.status(e);
            if (status == 501 || status == 400 || status == 405) {
                log.info("{} refused a batch delete ({}); deleting one by one", describe(), S3Errors.code(e));
                batchDeletes.set(false);
                return false;
            }
            throw S3Errors.translate(bucket(), null, "delete", e);
        }
    }

    @Override
    public void copy(String fromKey, String toKey, Map<String, String> metadata) throws IOException {
        CopyObjectRequest.Builder b = CopyObjectRequest.builder().sourceBucket(bucket()).sourceKey(fromKey)
                .destinationBucket(bucket()).destinationKey(toKey)
                .metadataDirective(MetadataDirective.REPLACE).metadata(metadata)
                .serverSideEncryption(settings.sse()).ssekmsKeyId(settings.kmsKeyId()).storageClass(settings.storageClass());
        try {
            s3.get().copyObject(b.build());
        } catch (SdkException e) {
            writer.rejectOption(toKey, "copy", e);
            throw S3Errors.translate(bucket(), fromKey, "copy to " + toKey, e);
        }
    }

    @Override
    public List<Unfinished> unfinished(String prefix) throws IOException {
        List<Unfinished> out = new ArrayList<>();
        try {
            s3.get().listMultipartUploadsPaginator(b -> b.bucket(bucket()).prefix(prefix.isEmpty() ? null : prefix)).uploads()
                    .forEach(u -> out.add(new Unfinished(u.key(), u.uploadId(), u.initiated())));
        } catch (SdkException e) {
            throw S3Errors.translate(bucket(), prefix, "list unfinished uploads", e);
        }
        out.sort(Comparator.comparing(Unfinished::key).thenComparing(Unfinished::started, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    @Override
    public void abort(Unfinished upload) throws IOException {
        writer.abortMultipart(upload.key(), upload.uploadId());
    }

    /** Versioning and object lock of the bucket (for {@code lifeboat check}); never throws for an unanswered question. */
    public BucketProtection protection() {
        return BucketProtection.of(s3.get(), bucket());
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The SDK's client, built at the first {@link #get} (by one thread, the others wait for it). */
    private static final class Client implements java.util.function.Supplier<S3Client> {
        private final java.util.function.Supplier<S3Client> build;
        private S3Client client;

        Client(java.util.function.Supplier<S3Client> build) {
            this.build = build;
        }

        @Override
        public synchronized S3Client get() {
            if (client == null) client = build.get();
            return client;
        }

        synchronized void close() {
            if (client != null) client.close();
        }
    }

    private FileAlreadyExistsException exists(String key) {
        return S3Writer.exists(key, describe());
    }

    static String unquote(String etag) {
        if (etag == null) return null;
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
