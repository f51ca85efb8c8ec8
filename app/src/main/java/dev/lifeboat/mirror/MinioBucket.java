package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import io.minio.GetObjectArgs;
import io.minio.Http;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import dev.lifeboat.store.PrefixWalk;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

import java.io.IOException;
import java.io.InputStream;
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
    private final MinioClient client;

    public MinioBucket(MinioSettings settings) {
        this.settings = settings;
        this.client = MinioClient.builder()
                .endpoint(settings.host(), settings.port(), settings.ssl())
                .region(settings.region())
                .credentials(settings.accessKey(), settings.secretKey())
                .httpClient(httpClient(settings), true)
                .build();
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
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(settings.bucket()).recursive(true).maxKeys(1000);
        if (prefix != null && !prefix.isEmpty()) args.prefix(prefix);
        List<LiveObject> out = new ArrayList<>();
        for (Result<Item> result : client.listObjects(args.build())) {
            Item item;
            try {
                item = result.get();
            } catch (MinioException e) {
                throw failure("listing " + describe(), e, true);
            }
            live(item).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(LiveObject::key));
        return out;
    }

    @Override
    public List<LiveObject> list(String prefix, int threads) throws IOException {
        return PrefixWalk.sorted(this::level, this::list, threads, prefix == null ? "" : prefix, LiveObject::key);
    }

    private PrefixWalk.Level<LiveObject> level(String prefix, int maxPrefixes) throws IOException {
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(settings.bucket()).recursive(false).maxKeys(1000);
        if (!prefix.isEmpty()) args.prefix(prefix);
        List<LiveObject> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (Result<Item> result : client.listObjects(args.build())) {
            Item item;
            try {
                item = result.get();
            } catch (MinioException e) {
                throw failure("listing " + describe(), e, true);
            }
            if (item.isDir()) {
                prefixes.add(item.objectName());
                if (prefixes.size() > maxPrefixes) return null;
                continue;
            }
            live(item).ifPresent(entries::add);
        }
        return new PrefixWalk.Level<>(entries, prefixes);
    }

    private static Optional<LiveObject> live(Item item) {
        if (item.isDir() || item.isDeleteMarker() || item.objectName().endsWith("/")) return Optional.empty();
        Instant modified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
        return Optional.of(new LiveObject(item.objectName(), item.size(), unquote(item.etag()), modified));
    }

    @Override
    public LiveDownload open(String key) throws IOException {
        GetObjectResponse response;
        try {
            response = client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).object(key).build());
        } catch (MinioException e) {
            throw failure("reading " + key, e, false);
        }
        String length = response.headers().get("Content-Length");
        long size = length == null ? -1 : Long.parseLong(length.trim());
        return new LiveDownload(unquote(response.headers().get("ETag")), size, response);
    }

    @Override
    public Optional<LiveObject> stat(String key) throws IOException {
        try {
            StatObjectResponse s = client.statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            Instant modified = s.lastModified() == null ? Instant.EPOCH : s.lastModified().toInstant();
            return Optional.of(new LiveObject(key, s.size(), unquote(s.etag()), modified));
        } catch (MinioException e) {
            if (e instanceof ErrorResponseException er && notFound(er)) return Optional.empty();
            throw failure("stat " + key, e, false);
        }
    }

    @Override
    public String put(String key, InputStream in, long size) throws IOException {
        try {
            ObjectWriteResponse r = client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                    .stream(in, size, -1L).build());
            return unquote(r.etag());
        } catch (MinioException e) {
            throw failure("writing " + key, e, false);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } catch (Exception e) {
            throw new IOException("closing the MinIO client: " + e.getMessage(), e);
        }
    }

    static String unquote(String etag) {
        if (etag == null) return null;
        String e = etag.trim();
        if (e.startsWith("W/")) e = e.substring(2);
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) e = e.substring(1, e.length() - 1);
        return e;
    }

    private static boolean notFound(ErrorResponseException e) {
        String code = e.errorResponse() == null ? null : e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)
                || (e.response() != null && e.response().code() == 404 && !"NoSuchBucket".equals(code));
    }

    /** A wrong key or a missing bucket while listing stops the run as a config error; the rest is an IOException. */
    private IOException failure(String what, MinioException e, boolean listing) {
        if (e instanceof ErrorResponseException er && er.errorResponse() != null) {
            String code = er.errorResponse().code();
            if (listing && CONFIG_ERRORS.contains(code)) {
                throw LifeboatException.config(describe() + ": " + code + " while " + what
                        + " (check MINIO_ENDPOINT, MINIO_BUCKET, MINIO_ACCESS_KEY, MINIO_SECRET_KEY)");
            }
            if (notFound(er)) return new NoSuchFileException(what + ": not in " + describe());
            return new IOException(what + ": " + code + " " + er.errorResponse().message(), e);
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new IOException(what + ": " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), e);
    }
}
