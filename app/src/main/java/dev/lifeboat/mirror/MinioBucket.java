package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import dev.lifeboat.store.Etags;
import dev.lifeboat.store.PrefixWalk;
import dev.lifeboat.store.S3Listing;
import dev.lifeboat.store.S3Requests;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The live bucket on MinIO (or any S3-compatible server) through the MinIO Java client. */
public final class MinioBucket implements LiveBucket {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** Calls at once and idle connections kept: mirror's most workers, plus listings running beside them. */
    private static final int MAX_CALLS = 80;
    private static final Set<String> CONFIG_ERRORS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "NoSuchBucket");

    private final MinioSettings settings;
    /** Listings and reads: lifeboat's own requests (far less CPU per request than the client's). */
    private final S3Requests requests;
    private final S3Listing listing;
    /** Stat and write (mirror --reverse), built at the first: a forward run needs none. */
    private MinioClient client;

    public MinioBucket(MinioSettings settings) {
        this.settings = settings;
        // with extra CA certificates, the listings trust what the client trusts
        OkHttpClient tls = settings.ssl() && (settings.caFile() != null || settings.caDir() != null) ? httpClient(settings) : null;
        this.requests = new S3Requests(URI.create((settings.ssl() ? "https" : "http") + "://" + settings.host() + ":" + settings.port()),
                settings.bucket(), settings.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())),
                tls == null ? null : tls.sslSocketFactory(), tls == null ? null : tls.hostnameVerifier());
        this.listing = new S3Listing(requests);
    }

    private synchronized MinioClient client() {
        if (client == null) {
            client = MinioClient.builder()
                    .endpoint(settings.host(), settings.port(), settings.ssl())
                    .region(settings.region())
                    .credentials(settings.accessKey(), settings.secretKey())
                    .httpClient(httpClient(settings), true)
                    .build();
        }
        return client;
    }

    /**
     * The client's default HTTP setup (5-minute timeouts, HTTP/1.1, its retry of 5xx answers),
     * built here because the default also parses every certificate in SSL_CERT_DIR on each start
     * (seconds), even for plain HTTP. Extra CAs are loaded only with SSL, from one place.
     */
    private static OkHttpClient httpClient(MinioSettings settings) {
        // OkHttp's defaults keep 5 idle connections and run 5 calls per host at once (the client's
        // calls are asynchronous): with more workers, calls queue and connections churn.
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(2 * MAX_CALLS);
        dispatcher.setMaxRequestsPerHost(MAX_CALLS);
        OkHttpClient client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_CALLS, 5, TimeUnit.MINUTES))
                .connectTimeout(TIMEOUT).readTimeout(TIMEOUT).writeTimeout(TIMEOUT)
                .protocols(List.of(Protocol.HTTP_1_1))
                .addInterceptor(new Http.StatusRetryInterceptor())
                .build();
        if (settings.caFile() == null && settings.caDir() == null) return client;
        try {
            return Http.enableExternalCertificates(client, settings.caFile(), settings.caDir());
        } catch (MinioException e) {
            throw LifeboatException.config("cannot load the CA certificates of " + (settings.caFile() != null
                    ? "SSL_CERT_FILE=" + settings.caFile() : "SSL_CERT_DIR=" + settings.caDir()) + ": " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return settings.bucket();
    }

    @Override
    public String describe() {
        return "minio " + settings.describe();
    }

    @Override
    public List<LiveObject> list(String prefix) throws IOException {
        List<LiveObject> out = new ArrayList<>();
        try {
            for (S3Listing.Entry e : listing.all(prefix == null ? "" : prefix)) live(e).ifPresent(out::add);
        } catch (IOException e) {
            throw listingFailure(e);
        }
        out.sort(Comparator.comparing(LiveObject::key));
        return out;
    }

    @Override
    public List<LiveObject> list(String prefix, int threads) throws IOException {
        return PrefixWalk.sorted(this::level, this::list, threads, prefix == null ? "" : prefix, LiveObject::key);
    }

    private PrefixWalk.Level<LiveObject> level(String prefix, int maxPrefixes) throws IOException {
        PrefixWalk.Level<S3Listing.Entry> level;
        try {
            level = listing.level(prefix, maxPrefixes);
        } catch (IOException e) {
            throw listingFailure(e);
        }
        if (level == null) return null;
        List<LiveObject> entries = new ArrayList<>();
        for (S3Listing.Entry e : level.entries()) live(e).ifPresent(entries::add);
        return new PrefixWalk.Level<>(entries, level.prefixes());
    }

    /** Objects only: a "directory" placeholder (a key ending in '/') is no object to mirror. */
    private static Optional<LiveObject> live(S3Listing.Entry e) {
        if (e.key().endsWith("/")) return Optional.empty();
        return Optional.of(new LiveObject(e.key(), e.size(), e.etag(), e.lastModified() == null ? Instant.EPOCH : e.lastModified()));
    }

    /** A wrong key or a missing bucket stops the run as a config error; the rest is an IOException naming the bucket. */
    private IOException listingFailure(IOException e) {
        String what = "listing " + describe();
        if (e instanceof S3Requests.Refused r) {
            if (CONFIG_ERRORS.contains(r.code()) || r.status() == 403) {
                throw LifeboatException.config(describe() + ": " + (r.code().isEmpty() ? "HTTP " + r.status() : r.code()) + " while " + what
                        + " (check MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY)");
            }
            return new IOException(what + ": " + r.getMessage() + " (HTTP " + r.status() + ")", e);
        }
        if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
            InterruptedIOException ie = new InterruptedIOException(what + " interrupted");
            ie.initCause(e);
            return ie;
        }
        return new IOException(what + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    @Override
    public LiveDownload open(String key) throws IOException {
        try {
            S3Requests.Download d = requests.get(key);
            return new LiveDownload(d.etag(), d.size(), d.body());
        } catch (S3Requests.Refused r) {
            if (r.status() == 404 && !"NoSuchBucket".equals(r.code())) {
                NoSuchFileException nf = new NoSuchFileException("reading " + key + ": not in " + describe());
                nf.initCause(r);
                throw nf;
            }
            // one object refused (a policy on its prefix, say) fails that object, not the run
            throw new IOException("reading " + key + ": " + r.getMessage() + " (HTTP " + r.status() + ")", r);
        } catch (IOException e) {
            if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) throw e;
            throw new IOException("reading " + key + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    @Override
    public Optional<LiveObject> stat(String key) throws IOException {
        try {
            StatObjectResponse s = client().statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            Instant modified = s.lastModified() == null ? Instant.EPOCH : s.lastModified().toInstant();
            return Optional.of(new LiveObject(key, s.size(), Etags.unquote(s.etag()), modified));
        } catch (MinioException e) {
            if (e instanceof ErrorResponseException er && notFound(er)) return Optional.empty();
            throw failure("stat " + key, e);
        }
    }

    @Override
    public String put(String key, InputStream in, long size) throws IOException {
        try {
            ObjectWriteResponse r = client().putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                    .stream(in, size, -1L).build());
            return Etags.unquote(r.etag());
        } catch (MinioException e) {
            throw failure("writing " + key, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (client == null) return;
        try {
            client.close();
        } catch (Exception e) {
            throw new IOException("closing the MinIO client: " + e.getMessage(), e);
        }
    }

    private static boolean notFound(ErrorResponseException e) {
        String code = e.errorResponse() == null ? null : e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)
                || (e.response() != null && e.response().code() == 404 && !"NoSuchBucket".equals(code));
    }

    /** A failed read or write of one object, as an IOException naming it. */
    private IOException failure(String what, MinioException e) {
        if (e instanceof ErrorResponseException er && er.errorResponse() != null) {
            String code = er.errorResponse().code();
            if (notFound(er)) return new NoSuchFileException(what + ": not in " + describe());
            return new IOException(what + ": " + code + " " + er.errorResponse().message(), e);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new IOException(what + ": " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), e);
    }
}
