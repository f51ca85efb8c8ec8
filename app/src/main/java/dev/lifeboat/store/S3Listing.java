package dev.lifeboat.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ListObjectsV2 against a path-style S3 endpoint (MinIO, Ceph, S3Proxy, ...): one GET per page,
 * signed by the SDK's SigV4 signer, sent over a JDK connection and read with StAX. It answers
 * what the SDK's paginator answers, at a fraction of the CPU per request: an unchanged mirror
 * run is two walks of a few hundred listings each, and in a short-lived JVM the SDK's request
 * pipeline (interceptors, endpoint rules, metrics, DOM unmarshalling) cost more than the
 * listings themselves. Keys are asked URL-encoded (any byte survives XML) and decoded when
 * the answer says so. 5xx, 429, SlowDown and broken connections are retried with backoff, as
 * the SDK's standard strategy would, up to {@link S3Clients#MAX_ATTEMPTS} attempts.
 */
public final class S3Listing {
    /** One object of a listing; {@code etag} without quotes. */
    public record Entry(String key, long size, String etag, Instant lastModified) {}

    /** One page: its objects, its common prefixes (with a delimiter), and the token of the next page (null at the end). */
    record Page(List<Entry> entries, List<String> prefixes, String next) {}

    /** The store's answer to a listing was an error: HTTP status, S3 error code ("" if none), message. */
    public static final class Refused extends IOException {
        private final int status;
        private final String code;
        private final String detail;

        Refused(int status, String code, String detail) {
            super((code.isEmpty() ? "HTTP " + status : code) + (detail.isEmpty() ? "" : ": " + detail));
            this.status = status;
            this.code = code;
            this.detail = detail;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public String detail() {
            return detail;
        }
    }

    private static final Set<String> RETRIED_CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "Throttling", "ThrottlingException");
    private static final int MAX_KEYS = 1000;
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String bucketUrl;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SSLSocketFactory tls;
    private final HostnameVerifier hostnames;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * Listings of {@code bucket} at {@code endpoint} (scheme, host, port; a path is kept as the
     * prefix of the bucket's path). {@code tls} and {@code hostnames} may be null for the JDK's
     * defaults.
     */
    public S3Listing(URI endpoint, String bucket, String region, AwsCredentialsProvider credentials,
                     SSLSocketFactory tls, HostnameVerifier hostnames) {
        String base = endpoint.getScheme() + "://" + endpoint.getRawAuthority()
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", ""));
        this.bucketUrl = base + "/" + bucket;
        this.region = region;
        this.credentials = credentials;
        this.tls = tls;
        this.hostnames = hostnames;
        S3Clients.keepConnections();
    }

    /** Every object under {@code prefix}, page after page of a recursive listing, in the store's order. */
    public List<Entry> all(String prefix) throws IOException {
        List<Entry> out = new ArrayList<>();
        String token = null;
        do {
            Page page = page(prefix, null, token);
            out.addAll(page.entries());
            token = page.next();
        } while (token != null);
        return out;
    }

    /** The objects directly under {@code prefix} and its sub-prefixes ('/' as delimiter); null past {@code maxPrefixes} sub-prefixes. */
    public PrefixWalk.Level<Entry> level(String prefix, int maxPrefixes) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            Page page = page(prefix, "/", token);
            entries.addAll(page.entries());
            prefixes.addAll(page.prefixes());
            if (prefixes.size() > maxPrefixes) return null;
            token = page.next();
        } while (token != null);
        return new PrefixWalk.Level<>(entries, prefixes);
    }

    /** One page, retried as the SDK would retry it. */
    Page page(String prefix, String delimiter, String token) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return fetch(prefix, delimiter, token);
            } catch (InterruptedIOException e) {
                if (!(e instanceof java.net.SocketTimeoutException) || attempt >= S3Clients.MAX_ATTEMPTS) throw e;
            } catch (Refused e) {
                if (!retried(e) || attempt >= S3Clients.MAX_ATTEMPTS) throw e;
            } catch (IOException e) {
                if (attempt >= S3Clients.MAX_ATTEMPTS) throw e;
            }
            backOff(attempt);
        }
    }

    private static boolean retried(Refused e) {
        return e.status() >= 500 || e.status() == 429 || RETRIED_CODES.contains(e.code());
    }

    /** Full jitter over 100 ms × 2^(attempt-1), at most 5 s, as the SDK's standard strategy. */
    private static void backOff(int attempt) throws InterruptedIOException {
        long ceiling = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("listing interrupted");
        }
    }

    private Page fetch(String prefix, String delimiter, String token) throws IOException {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(bucketUrl))
                .putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("encoding-type", "url")
                .putRawQueryParameter("max-keys", Integer.toString(MAX_KEYS));
        if (prefix != null && !prefix.isEmpty()) request.putRawQueryParameter("prefix", prefix);
        if (delimiter != null) request.putRawQueryParameter("delimiter", delimiter);
        if (token != null) request.putRawQueryParameter("continuation-token", token);
        SdkHttpRequest unsigned = request.build();
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(unsigned)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpURLConnection c = (HttpURLConnection) signed.request().getUri().toURL().openConnection();
        try {
            if (c instanceof HttpsURLConnection https) {
                if (tls != null) https.setSSLSocketFactory(tls);
                if (hostnames != null) https.setHostnameVerifier(hostnames);
            }
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) READ_TIMEOUT.toMillis());
            c.setUseCaches(false);
            signed.request().forEachHeader((name, values) -> values.forEach(v -> c.addRequestProperty(name, v)));
            int status = c.getResponseCode();
            if (status != 200) throw refused(c, status);
            try (InputStream in = c.getInputStream()) {
                return ListingXml.parse(in); // read to the end of the document; closing returns the connection for reuse
            }
        } catch (IOException | RuntimeException e) {
            c.disconnect();
            throw e;
        }
    }

    private static Refused refused(HttpURLConnection c, int status) {
        String code = "";
        String message = "";
        try (InputStream err = c.getErrorStream()) {
            if (err != null) {
                byte[] body = err.readNBytes(MAX_ERROR_BODY);
                String[] parsed = ListingXml.parseError(body);
                code = parsed[0];
                message = parsed[1];
            }
        } catch (IOException | javax.xml.stream.XMLStreamException | RuntimeException e) {
            // no readable error document: the status says it
        }
        return new Refused(status, code, message);
    }

}
