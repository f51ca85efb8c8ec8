package dev.lifeboat.mirror;

import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import dev.lifeboat.harness.Scratch;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lifeboat mirror} from a live bucket served over HTTPS with a private CA, as MinIO
 * usually is: S3Proxy with a self-signed certificate made by keytool. With the certificate in
 * {@code SSL_CERT_FILE} the listings and reads (lifeboat's own requests) trust it; without it,
 * the run fails naming the certificate problem and copies nothing.
 */
class MirrorTlsTest {
    private static final String LIVE = "tls-live";
    private static final Map<String, byte[]> OBJECTS = new LinkedHashMap<>();
    private static Path dir;
    private static S3Proxy tls;
    private static S3Client setup;
    private static S3Server backup;
    private static Path ca;

    @BeforeAll
    static void start() throws Exception {
        dir = Scratch.dir("lifeboat-tls-");
        Path keystore = dir.resolve("s3.p12");
        ca = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(keytool, "-genkeypair", "-alias", "s3", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool(keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", ca.toString());
        backup = S3Server.start();
        Path blobs = dir.resolve("blobs");
        java.nio.file.Files.createDirectories(blobs);
        tls = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .secureEndpoint(URI.create("https://127.0.0.1:0"))
                .keyStore(keystore.toString(), "changeit")
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, backup.accessKey(), backup.secretKey())
                .ignoreUnknownHeaders(true)
                .build();
        tls.start();
        assertEquals("STARTED", tls.getState());
        setup = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create("http://127.0.0.1:" + tls.getPort())).forcePathStyle(true).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(backup.accessKey(), backup.secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        setup.createBucket(b -> b.bucket(LIVE));
        OBJECTS.put("receipts/2026/r-1.pdf", MirrorFixture.bytes(1, 40_000));
        OBJECTS.put("exports/with space/ünïcödé +&=.csv", MirrorFixture.bytes(2, 3_000));
        OBJECTS.put("empty", new byte[0]);
        OBJECTS.forEach((k, v) -> setup.putObject(b -> b.bucket(LIVE).key(k), RequestBody.fromBytes(v)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (setup != null) setup.close();
        if (tls != null) tls.stop();
        if (backup != null) backup.close();
        PgCluster.deleteTree(dir);
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    private static Map<String, String> env(String backupBucket) throws IOException {
        backup.createBucket(backupBucket);
        Map<String, String> env = new LinkedHashMap<>(backup.env(backupBucket));
        env.put("MINIO_ENDPOINT", "https://127.0.0.1:" + tls.getSecurePort());
        env.put("MINIO_ACCESS_KEY", backup.accessKey());
        env.put("MINIO_SECRET_KEY", backup.secretKey());
        env.put("MINIO_BUCKET", LIVE);
        env.put("BACKUP_LOCK_DIR", Scratch.dir("lifeboat-locks-").toString());
        return env;
    }

    @Test
    void withThePrivateCaInSslCertFileTheBucketIsListedAndReadOverHttps() throws Exception {
        Map<String, String> env = env("tls-backup-trusted");
        env.put("SSL_CERT_FILE", ca.toString());
        MirrorFixture.Run run = MirrorFixture.run(env, "--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(OBJECTS.size(), run.count("copied"));
        for (Map.Entry<String, byte[]> e : OBJECTS.entrySet()) {
            byte[] copy = backup.client().getObjectAsBytes(b -> b.bucket("tls-backup-trusted").key(MirrorKeys.copyKey(LIVE, e.getKey()))).asByteArray();
            assertArrayEquals(e.getValue(), copy, e.getKey());
        }
        MirrorFixture.Run again = MirrorFixture.run(env, "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(OBJECTS.size(), again.count("skipped"));
    }

    @Test
    void withoutItTheCertificateIsRefusedAndNothingIsCopied() throws Exception {
        Map<String, String> env = env("tls-backup-untrusted");
        MirrorFixture.Run run = MirrorFixture.run(env, "--json");
        assertNotEquals(0, run.exit());
        assertTrue(run.err().contains("https://127.0.0.1:" + tls.getSecurePort()) && run.err().contains("SSL"), run.err());
        assertEquals(List.of(), backup.client().listObjectsV2(b -> b.bucket("tls-backup-untrusted")).contents());
    }
}
