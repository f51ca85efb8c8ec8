package dev.lifeboat.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/** Builds the one kind of S3 client lifeboat uses: sync, URL-connection transport, standard retries. */
final class S3Clients {
    /** Attempts per request (first try included) for 5xx, throttling and connection errors. */
    static final int MAX_ATTEMPTS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private S3Clients() {}

    /** Idle connections kept per server: above mirror's most workers, with room for backup's parts in flight. */
    static final int KEEP_ALIVE_CONNECTIONS = 72;

    static S3Client create(S3Settings s, AwsCredentialsProvider credentials) {
        keepConnections();
        S3ClientBuilder b = S3Client.builder();
        if (s.endpoint() != null && "http".equalsIgnoreCase(s.endpoint().getScheme())) {
            // Plain HTTP: the transport's builder would still load every trusted CA certificate for a
            // TLS context (a few hundred ms of each run); these connections are its own, minus TLS.
            b.httpClient(UrlConnectionHttpClient.create(S3Clients::plainConnection));
        } else {
            b.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT));
        }
        b.region(Region.of(s.region()))
                .credentialsProvider(credentials)
                // S3-compatible stores reject the newer SDK default of always sending CRC checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // On plain HTTP the SDK signs every payload; without aws-chunked encoding it hashes a part
                // (always a re-readable buffer here) once and signs it once, instead of signing every
                // 128 KiB chunk. Over HTTPS payloads are not signed and nothing changes.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .overrideConfiguration(o -> o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint()).forcePathStyle(true);
        }
        return b.build();
    }

    /** The settings' keys, else the AWS default credentials chain (environment, profile, instance role, ...). */
    static AwsCredentialsProvider credentials(S3Settings s) {
        return s.hasStaticKeys()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()))
                : DefaultCredentialsProvider.builder().build();
    }

    static HttpURLConnection plainConnection(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) SOCKET_TIMEOUT.toMillis());
            return new BufferedBodyConnection(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The URL-connection transport keeps at most {@code http.maxConnections} idle connections per
     * server (JDK default 5): with more threads than that, every request beyond it opens a new
     * TCP connection and closes it after (thousands for a mirror). Read once, at the first
     * request of the process; a value set by the user (-Dhttp.maxConnections) is left alone.
     */
    static void keepConnections() {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
        }
    }
}
