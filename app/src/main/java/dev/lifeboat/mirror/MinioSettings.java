package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the live bucket is: MINIO_ENDPOINT (a host, host:port, or http(s)://host[:port]),
 * MINIO_PORT, MINIO_USE_SSL, MINIO_ACCESS_KEY, MINIO_SECRET_KEY (or their _FILE), MINIO_BUCKET,
 * MINIO_REGION. Every problem is a config error (exit 2) naming the variable. With SSL, extra CA
 * certificates come from SSL_CERT_FILE (else SSL_CERT_DIR), as the MinIO client's default does.
 */
public record MinioSettings(String host, int port, boolean ssl, String accessKey, String secretKey, String bucket, String region,
                            String caFile, String caDir) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");

    public static MinioSettings fromEnv(Env env) {
        String endpoint = env.require("MINIO_ENDPOINT", "the live MinIO server: a host name, host:port, or https://host:port").trim();
        Boolean sslVar = env.get("MINIO_USE_SSL").isPresent() ? env.bool("MINIO_USE_SSL", true) : null;
        String host;
        int urlPort = -1;
        boolean ssl = sslVar == null || sslVar;
        if (endpoint.contains("://")) {
            URI uri = uri(endpoint);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) throw bad(endpoint, "the scheme must be http or https");
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                throw bad(endpoint, "no path allowed; the bucket goes in MINIO_BUCKET");
            }
            if (uri.getRawQuery() != null || uri.getRawUserInfo() != null) throw bad(endpoint, "no query or user info allowed");
            boolean https = scheme.equals("https");
            if (sslVar != null && sslVar != https) {
                throw LifeboatException.config("MINIO_USE_SSL=" + env.get("MINIO_USE_SSL").get() + " contradicts MINIO_ENDPOINT=" + endpoint + " (set only one)");
            }
            ssl = https;
            host = uri.getHost();
            urlPort = uri.getPort();
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon > 0 && endpoint.indexOf(':') == colon) {
                host = endpoint.substring(0, colon);
                urlPort = portNumber("MINIO_ENDPOINT", endpoint.substring(colon + 1));
            } else {
                host = endpoint;
            }
        }
        if (host == null || !HOST.matcher(host).matches()) throw bad(endpoint, "expected a host name, host:port, or http(s)://host:port");
        int port;
        if (urlPort > 0) {
            if (env.get("MINIO_PORT").isPresent() && portNumber("MINIO_PORT", env.get("MINIO_PORT").get()) != urlPort) {
                throw LifeboatException.config("MINIO_PORT=" + env.get("MINIO_PORT").get() + " contradicts the port in MINIO_ENDPOINT=" + endpoint + " (set only one)");
            }
            port = urlPort;
        } else {
            port = env.get("MINIO_PORT").map(p -> portNumber("MINIO_PORT", p)).orElse(ssl ? 443 : 80);
        }
        String access = env.secret("MINIO_ACCESS_KEY")
                .orElseThrow(() -> LifeboatException.config("MINIO_ACCESS_KEY is not set (expected the live bucket's access key, or MINIO_ACCESS_KEY_FILE)"));
        String secret = env.secret("MINIO_SECRET_KEY")
                .orElseThrow(() -> LifeboatException.config("MINIO_SECRET_KEY is not set (expected the live bucket's secret key, or MINIO_SECRET_KEY_FILE)"));
        String bucket = env.require("MINIO_BUCKET", "the live bucket's name").trim();
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw LifeboatException.config("MINIO_BUCKET=" + bucket + " is not a bucket name (3 to 63 lower-case letters, digits, '.', '-')");
        }
        String region = env.get("MINIO_REGION").orElse("us-east-1").trim();
        if (!region.matches("[a-z0-9-]{1,40}")) throw LifeboatException.config("MINIO_REGION=" + region + " is not a region name (e.g. us-east-1)");
        String caFile = ssl ? env.get("SSL_CERT_FILE").orElse(null) : null;
        String caDir = ssl && caFile == null ? env.get("SSL_CERT_DIR").orElse(null) : null;
        return new MinioSettings(host, port, ssl, access, secret, bucket, region, caFile, caDir);
    }

    /** {@code https://host:port/bucket}, for logs. */
    public String describe() {
        return (ssl ? "https" : "http") + "://" + host + ":" + port + "/" + bucket;
    }

    @Override
    public String toString() {
        return "MinioSettings[" + describe() + ", region " + region + "]";
    }

    private static URI uri(String endpoint) {
        try {
            return new URI(endpoint);
        } catch (URISyntaxException e) {
            throw bad(endpoint, "not a URL (" + e.getReason() + ")");
        }
    }

    private static int portNumber(String var, String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw LifeboatException.config(var + ": '" + value + "' is not a port number from 1 to 65535");
        }
    }

    private static LifeboatException bad(String endpoint, String why) {
        return LifeboatException.config("MINIO_ENDPOINT=" + endpoint + " is not usable: " + why);
    }
}
