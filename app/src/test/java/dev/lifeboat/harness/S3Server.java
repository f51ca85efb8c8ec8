package dev.lifeboat.harness;

import dev.lifeboat.store.S3Settings;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real S3 server for tests: S3Proxy in-process on 127.0.0.1 with a filesystem blob store in a
 * temporary directory and SigV4 credentials made up per instance. Clients reach it through a
 * {@link FaultyProxy} ({@link #endpoint()}), so a test can count requests ({@link #proxy()}
 * {@code .count("GET", "/bucket/")}) and inject faults; {@link #client()} talks to S3Proxy
 * directly and is not counted.
 *
 * <p>Use {@link #start()} in a try-with-resources or in @BeforeAll/@AfterAll for a private
 * server (required for fault tests), or {@link #shared()} for one server per test JVM (use your
 * own bucket names; do not arm faults on it).
 */
public final class S3Server implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static S3Server shared;

    private final Path dir;
    private final S3Proxy s3proxy;
    private final FaultyProxy proxy;
    private final String accessKey;
    private final String secretKey;
    private final S3Client client;

    private S3Server() throws Exception {
        dir = Scratch.dir("lifeboat-s3-");
        accessKey = "AK" + hex(8).toUpperCase();
        secretKey = hex(20);
        s3proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        s3proxy.start();
        if (!"STARTED".equals(s3proxy.getState())) throw new IllegalStateException("S3Proxy did not start: " + s3proxy.getState());
        proxy = FaultyProxy.start("127.0.0.1", s3proxy.getPort());
        client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(directEndpoint())
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** A private server; close it when done. */
    public static S3Server start() throws Exception {
        return new S3Server();
    }

    /** One server for the whole test JVM, started on first use and stopped at JVM exit. */
    public static synchronized S3Server shared() throws Exception {
        if (shared == null) {
            shared = new S3Server();
            S3Server s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** Where clients connect: the counting/fault proxy in front of S3Proxy. */
    public URI endpoint() {
        return proxy.endpoint();
    }

    /** S3Proxy itself, bypassing the proxy. */
    public URI directEndpoint() {
        return URI.create("http://127.0.0.1:" + s3proxy.getPort());
    }

    /** The proxy in front of the server: request log and fault injection. */
    public FaultyProxy proxy() {
        return proxy;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Creates a bucket (directly, not counted). */
    public void createBucket(String name) {
        client.createBucket(b -> b.bucket(name));
    }

    /** BACKUP_S3_ENDPOINT/REGION/BUCKET/ACCESS_KEY/SECRET_KEY for {@code bucket}, through the proxy. */
    public Map<String, String> env(String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BACKUP_S3_ENDPOINT", endpoint().toString());
        env.put("BACKUP_S3_REGION", REGION);
        env.put("BACKUP_S3_BUCKET", bucket);
        env.put("BACKUP_S3_ACCESS_KEY", accessKey);
        env.put("BACKUP_S3_SECRET_KEY", secretKey);
        return env;
    }

    /** Settings for an S3Store on {@code bucket} through the proxy (no SSE, no storage class). */
    public S3Settings settings(String bucket) {
        return new S3Settings(endpoint(), REGION, bucket, accessKey, secretKey, null, null, null);
    }

    /** An SDK client straight to S3Proxy, for test setup and assertions; closed with the server. */
    public S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        proxy.close();
        try {
            s3proxy.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
        PgCluster.deleteTree(dir);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
