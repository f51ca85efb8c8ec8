package dev.lifeboat.harness;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * S3Proxy as a process of its own, for scripts/bench.sh: a filesystem blob store in DIR on
 * 127.0.0.1:PORT (0 picks a free port), SigV4 with the access key and secret read from the
 * environment ({@code S3_ACCESS_KEY}, {@code S3_SECRET_KEY}; never argv). Prints
 * {@code port=<n>} on stdout once it serves, then runs until killed.
 *
 * <pre>java -cp test-classes:CLASSPATH dev.lifeboat.harness.S3ServerMain DIR [PORT]</pre>
 */
public final class S3ServerMain {
    private S3ServerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: S3ServerMain DIR [PORT]  (S3_ACCESS_KEY and S3_SECRET_KEY in the environment)");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        String access = System.getenv("S3_ACCESS_KEY");
        String secret = System.getenv("S3_SECRET_KEY");
        if (access == null || secret == null) {
            System.err.println("S3_ACCESS_KEY and S3_SECRET_KEY must be set");
            System.exit(2);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, access, secret)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        if (!"STARTED".equals(proxy.getState())) throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        System.out.println("port=" + proxy.getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                proxy.stop();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }));
        Thread.currentThread().join();
    }
}
