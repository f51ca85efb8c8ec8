package dev.lifeboat.store;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Requests of lifeboat's own to one bucket of a path-style S3 endpoint (MinIO, Ceph, S3Proxy,
 * ...): signed by the SDK's SigV4 signer, sent over a JDK connection, retried as the SDK's
 * standard strategy would retry them ({@link S3Retries}). In a short-lived
 * JVM the SDKs' request pipelines cost more CPU per small request than the request itself, and
 * over plain HTTP the SDK hashes every uploaded byte with SHA-256 to sign it, and the store hashes
 * it again to check; a PUT here (a small object, or a part of a multipart upload) is sent with an
 * unsigned payload and a Content-MD5 (a signed header) that the store checks instead, with the
 * MD5 it computes anyway for the ETag.
 */
public final class S3Requests {
    /** The store's answer was an error: HTTP status, S3 error code ("" if none), message. */
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

    /** An object's answer to a GET: ETag (unquoted, may be null), Content-Length (-1 if not given) and the body. */
    public record Download(String etag, long size, InputStream body) {}

    static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final String META = "x-amz-meta-";

    private final String scheme;
    private final String host;
    private final int port;
    private final String bucketPath;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SSLSocketFactory tls;
    private final HostnameVerifier hostnames;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * Requests to {@code bucket} at {@code endpoint} (scheme, host, port; a path is kept as the
     * prefix of the bucket's path). {@code tls} and {@code hostnames} may be null for the JDK's
     * defaults.
     */
    public S3Requests(URI endpoint, String bucket, String region, AwsCredentialsProvider credentials,
                      SSLSocketFactory tls, HostnameVerifier hostnames) {
        this.scheme = endpoint.getScheme();
        this.host = endpoint.getHost();
        this.port = endpoint.getPort();
        this.bucketPath = (endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", ""))
                + "/" + SdkHttpUtils.urlEncode(bucket);
        this.region = region;
        this.credentials = credentials;
        this.tls = tls;
        this.hostnames = hostnames;
        S3Clients.keepConnections();
    }

    /**
     * Signs a request and makes (without connecting) a connection for it, once, so that the
     * classes and code behind the first real request are ready; sends nothing. Any failure is
     * left to the first real request to meet and report.
     */
    void warmUp() {
        try {
            open(SdkHttpMethod.HEAD, "lifeboat-warm-up", Map.of(), Map.of()).disconnect();
        } catch (IOException | RuntimeException ignored) {
            // the first request meets it again, and says what it is
        }
    }

    /**
     * Opens a signed request for {@code key} ("" for the bucket itself) with query parameters
     * (not yet encoded: the request encodes them) and headers; the caller sends a body (if any)
     * and reads the answer. Credentials that cannot be had are an IOException.
     */
    HttpURLConnection open(SdkHttpMethod method, String key, Map<String, String> query, Map<String, String> headers) throws IOException {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method).protocol(scheme).host(host).port(port < 0 ? null : port)
                .encodedPath(bucketPath + (key.isEmpty() ? "" : "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key)));
        query.forEach(request::putRawQueryParameter);
        headers.forEach(request::putHeader);
        SdkHttpRequest unsigned = request.build();
        SignedRequest signed;
        try {
            AwsCredentialsIdentity identity = credentials.resolveCredentials();
            signed = signer.sign(r -> r.identity(identity).request(unsigned)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    // given no payload and signing off, the signer signs UNSIGNED-PAYLOAD (a PUT's
                    // header); with signing on (GET, list) that of an empty payload, as S3 expects
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !headers.containsKey(CONTENT_SHA256))
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false));
        } catch (SdkException e) {
            throw new IOException("cannot sign the request: " + e.getMessage(), e);
        }
        HttpURLConnection c = (HttpURLConnection) signed.request().getUri().toURL().openConnection();
        if (c instanceof HttpsURLConnection https) {
            if (tls != null) https.setSSLSocketFactory(tls);
            if (hostnames != null) https.setHostnameVerifier(hostnames);
        }
        c.setRequestMethod(method.name());
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) READ_TIMEOUT.toMillis());
        c.setUseCaches(false);
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) values.forEach(v -> c.addRequestProperty(name, v));
        });
        return c;
    }

    /**
     * HEADs {@code key}: its size, time, ETag and user metadata, or empty when the store has no such
     * object (404; as with the SDK, a HEAD's answer has no body to tell a missing bucket from a
     * missing key). Other errors are {@link Refused}, retried as any other request.
     */
    public Optional<ObjectInfo> head(String key) throws IOException {
        return S3Retries.retrying(() -> {
            HttpURLConnection c = open(SdkHttpMethod.HEAD, key, Map.of(), Map.of());
            try {
                int status = c.getResponseCode();
                if (status == 404) return Optional.empty();
                if (status / 100 != 2) throw refused(c, status);
                Map<String, String> metadata = new java.util.TreeMap<>();
                c.getHeaderFields().forEach((name, values) -> {
                    if (name != null && !values.isEmpty() && name.regionMatches(true, 0, META, 0, META.length())) {
                        metadata.put(name.substring(META.length()).toLowerCase(java.util.Locale.ROOT), values.get(0));
                    }
                });
                return Optional.of(new ObjectInfo(key, c.getContentLengthLong(), lastModified(c.getHeaderField("Last-Modified")),
                        Etags.unquote(c.getHeaderField("ETag")), metadata));
            } catch (IOException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
        });
    }

    /**
     * GETs {@code key}, retried until the answer's headers arrive; the body is the caller's to read
     * and close (a broken body is not resumed here). 404 and other errors are {@link Refused}.
     */
    public Download get(String key) throws IOException {
        return S3Retries.retrying(() -> {
            HttpURLConnection c = open(SdkHttpMethod.GET, key, Map.of(), Map.of());
            try {
                int status = c.getResponseCode();
                if (status / 100 != 2) throw refused(c, status);
                return new Download(Etags.unquote(c.getHeaderField("ETag")), c.getContentLengthLong(), new Interruptible(c.getInputStream()));
            } catch (IOException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
        });
    }

    /**
     * PUTs {@code size} bytes from {@code content} (a fresh stream per attempt) to {@code key} with
     * an unsigned payload and the given headers (which should carry a Content-MD5 for the store to
     * check); returns the ETag. A refusal is {@link Refused} with the store's code; error answers
     * that are retried are retried here, a broken connection is not: a store that refuses a PUT
     * by its headers may answer before reading the body and close the connection, and the caller
     * then sends it again with Expect: 100-continue to learn why (see {@link S3Writer}).
     */
    String put(String key, Map<String, String> headers, Supplier<InputStream> content, long size) throws IOException {
        return send(key, Map.of(), headers, content, size);
    }

    /**
     * Uploads part {@code number} of the multipart upload {@code uploadId}: {@code size} bytes from
     * {@code content} (a fresh stream per attempt), with an unsigned payload and {@code md5Hex} as
     * its Content-MD5, which the store checks; returns the part's ETag. Refusals, retries and a
     * broken connection as in {@link #put}.
     */
    String putPart(String key, String uploadId, int number, String md5Hex, Supplier<InputStream> content, long size)
            throws IOException {
        Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("partNumber", Integer.toString(number));
        query.put("uploadId", uploadId);
        return send(key, query, Map.of("Content-MD5", Etags.contentMd5(md5Hex)), content, size);
    }

    /** A Last-Modified header's time; null when there is none or it is not an HTTP date (the time is informative only). */
    static java.time.Instant lastModified(String header) {
        if (header == null) return null;
        try {
            return java.time.ZonedDateTime.parse(header, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** A PUT of {@code size} bytes with an unsigned payload; the ETag of what the store took. */
    private String send(String key, Map<String, String> query, Map<String, String> headers, Supplier<InputStream> content, long size)
            throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(CONTENT_SHA256, UNSIGNED_PAYLOAD);
        all.put("Content-Length", Long.toString(size));
        return S3Retries.retrying(false, () -> {
            HttpURLConnection c = open(SdkHttpMethod.PUT, key, query, all);
            try {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(size);
                try (InputStream in = content.get(); OutputStream out = c.getOutputStream()) {
                    long n = copyBody(in, out, size);
                    if (n != size) throw new IOException("sent " + n + " bytes of " + size);
                }
                int status = c.getResponseCode();
                if (status / 100 != 2) throw refused(c, status);
                String etag = Etags.unquote(c.getHeaderField("ETag"));
                c.getInputStream().close(); // an empty body: the connection goes back for reuse
                return etag;
            } catch (IOException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
        });
    }

    /**
     * Copies a request body of {@code size} bytes in writes of up to {@link BufferedBodyConnection#BUFFER}
     * bytes: the JDK's fixed-length body stream hands every write to the socket as it comes, so
     * {@code transferTo}'s 8 KiB steps sent an 8 MiB part in a thousand system calls, each one
     * waking the store (as {@link BufferedBodyConnection} found for the SDK's requests).
     */
    static long copyBody(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[(int) Math.max(1, Math.min(size, BufferedBodyConnection.BUFFER))];
        long total = 0;
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /**
     * Metadata that can go into HTTP headers as it is: names of token characters, values of
     * printable ASCII (user metadata that is not goes through the SDK).
     */
    static boolean plainHeaders(Map<String, String> metadata) {
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty() || !e.getKey().chars().allMatch(S3Requests::tokenChar) || !printableAscii(e.getValue())) return false;
        }
        return true;
    }

    private static boolean tokenChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }

    /** A response body that stops at the next read once its thread is interrupted (a JDK socket read does not). */
    private static final class Interruptible extends java.io.FilterInputStream {
        Interruptible(InputStream in) {
            super(in);
        }

        private void check() throws InterruptedIOException {
            if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("download interrupted");
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }
    }

    /** The store's error answer on {@code c} as a {@link Refused} (code and message from its error document, when it has one). */
    static Refused refused(HttpURLConnection c, int status) {
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
