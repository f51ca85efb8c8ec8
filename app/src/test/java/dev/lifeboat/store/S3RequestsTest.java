package dev.lifeboat.store;

import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lifeboat's own object requests ({@link S3Requests}: the small PUTs and the multipart parts of
 * a store with an endpoint, the live bucket's GETs) against a real S3 server, through the fault proxy: what they
 * write is what the SDK reads back, the store checks the Content-MD5 they carry, and they are
 * retried and refused as the SDK's requests are.
 */
class S3RequestsTest {
    private static final Map<String, String> META = Map.of("lifeboat-version", "test", "lifeboat-source-etag", "abc");
    private static S3Server server;
    private static String bucket;
    private static S3Store store;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
        bucket = "requests";
        server.createBucket(bucket);
        store = new S3Store(server.settings(bucket), true);
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    @AfterEach
    void disarm() {
        server.proxy().failNext(0, 503);
        server.proxy().failWhere(r -> false, 0, 503);
        server.proxy().cutRequestAfter(0, 0);
        server.proxy().loseAnswersWhere(r -> false, 0);
        server.proxy().damageRequestsWhere(r -> false, 0);
    }

    private static byte[] data(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static void write(ObjectStore s, String key, byte[] data, String md5) throws IOException {
        try (PendingObject p = s.createAbsent(key, META, data.length, md5)) {
            p.stream().write(data);
            p.commit();
        }
    }

    /** lifeboat's own requests to the test bucket, through the proxy. */
    private static S3Requests requests() {
        return new S3Requests(server.endpoint(), bucket, S3Server.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())), null, null);
    }

    private static byte[] sdkRead(String key) {
        return server.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Test
    void aSmallObjectIsOnePutThatTheSdkReadsBackWithItsMetadata() throws Exception {
        byte[] body = data(1, 70_000);
        write(store, "small/given", body, md5(body)); // proves conditional writes on the first call (one probe)
        server.proxy().clearRequests();
        write(store, "small/computed", body, null);
        assertEquals(1, server.proxy().count("PUT", "/" + bucket + "/small/computed"), "one PUT, no HEAD before it");
        assertEquals(1, server.proxy().requests().size(), "nothing else: " + server.proxy().requests());
        for (String key : List.of("small/given", "small/computed")) {
            assertArrayEquals(body, sdkRead(key));
            HeadObjectResponse head = server.client().headObject(b -> b.bucket(bucket).key(key));
            assertEquals(META, head.metadata());
            assertEquals("application/octet-stream", head.contentType());
            assertEquals(md5(body), S3Store.unquote(head.eTag()));
        }
    }

    @Test
    void theStoreRefusesContentThatDoesNotMatchItsMd5AndNothingIsWritten() throws Exception {
        byte[] body = data(2, 5_000);
        String otherMd5 = md5(data(3, 5_000));
        try (S3Store sdk = new S3Store(server.settings(bucket), false)) {
            for (ObjectStore s : List.of(store, sdk)) {
                String key = "mismatch/" + (s == store ? "own" : "sdk");
                ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> write(s, key, body, otherMd5));
                assertTrue(e.getMessage().contains(key), e.getMessage());
                assertTrue(s.stat(key).isEmpty(), "nothing written under " + key);
                write(s, key, body, md5(body));
                assertArrayEquals(body, sdkRead(key));
            }
        }
    }

    @Test
    void anExistingObjectIsNeverOverwritten() throws Exception {
        byte[] first = data(4, 100);
        byte[] second = data(5, 100);
        write(store, "taken/k", first, md5(first));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> write(store, "taken/k", second, md5(second)));
        assertArrayEquals(first, sdkRead("taken/k"));
    }

    @Test
    void serverErrorsAndBrokenUploadsAreRetried() throws Exception {
        byte[] body = data(6, 200_000);
        write(store, "retry/warm", body, md5(body));
        server.proxy().clearRequests();
        server.proxy().failNext(2, 503);
        write(store, "retry/503", body, md5(body));
        assertEquals(3, server.proxy().count("PUT", "/" + bucket + "/retry/503"));
        server.proxy().cutRequestAfter(1, 50_000);
        write(store, "retry/cut", body, md5(body));
        assertEquals(2, server.proxy().count("PUT", "/" + bucket + "/retry/cut"), "the cut upload is sent again, whole");
        assertArrayEquals(body, sdkRead("retry/503"));
        assertArrayEquals(body, sdkRead("retry/cut"));
        assertEquals(0, server.proxy().faultsPending());
    }

    @Test
    void keysThatNeedEscapingAreWrittenAndReadUnderTheirOwnName() throws Exception {
        S3Requests requests = requests();
        for (String key : List.of("odd/sp ace/x y", "odd/plus+sign", "odd/pct%41%", "odd/amp&<gt>\"q'", "odd/ünïcödé/ключ/鍵",
                "odd/q?x=1#frag", "odd/~tilde*star(paren)", "odd/semi;colon:at@", "odd//double")) {
            byte[] body = key.getBytes(StandardCharsets.UTF_8);
            write(store, key, body, md5(body));
            assertArrayEquals(body, sdkRead(key), key);
            S3Requests.Download d = requests.get(key);
            try (InputStream in = d.body()) {
                assertArrayEquals(body, in.readAllBytes(), key);
            }
            assertEquals(md5(body), d.etag());
            assertEquals(body.length, d.size());
        }
        S3Requests.Refused missing = assertThrows(S3Requests.Refused.class, () -> requests.get("odd/not-there"));
        assertEquals(404, missing.status());
    }

    @Test
    void aWrongSecretIsOneRefusedRequestAndAConfigErrorWithoutTheSecret() throws Exception {
        String secret = "not-the-secret-0123456789";
        S3Settings good = server.settings(bucket);
        S3Settings wrong = new S3Settings(good.endpoint(), good.region(), good.bucket(), good.accessKey(), secret, null, null, null);
        S3Requests requests = new S3Requests(wrong.endpoint(), bucket, wrong.region(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(wrong.accessKey(), secret)), null, null);
        try (software.amazon.awssdk.services.s3.S3Client sdk = S3Clients.create(wrong, S3Clients.credentials(wrong))) {
            S3Writer writer = new S3Writer(() -> sdk, requests, wrong);
            byte[] body = data(7, 1000);
            server.proxy().clearRequests();
            StoreConfigException e = assertThrows(StoreConfigException.class,
                    () -> writer.putNew("denied/k", () -> new ByteArrayInputStream(body), body.length, META, md5(body)));
            assertEquals(1, server.proxy().requests().size(), "a refusal is not retried");
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertTrue(e.getMessage().contains("BACKUP_S3_SECRET_KEY"), e.getMessage());
        }
    }

    @Test
    void aPutRefusedByItsHeadersBeforeTheBodyStillNamesTheSetting() throws Exception {
        S3Settings good = server.settings(bucket);
        S3Settings sse = new S3Settings(good.endpoint(), good.region(), good.bucket(), good.accessKey(), good.secretKey(), "AES256", null, null);
        byte[] body = data(8, 256 << 10); // S3Proxy refuses SSE as soon as it has the headers, and may drop the rest
        try (S3Store s = new S3Store(sse, true)) {
            dev.lifeboat.LifeboatException e = assertThrows(dev.lifeboat.LifeboatException.class, () -> write(s, "sse/k", body, md5(body)));
            assertEquals(dev.lifeboat.ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("BACKUP_S3_SSE=AES256"), e.getMessage());
            assertTrue(s.stat("sse/k").isEmpty());
        }
    }

    @Test
    void aStoreThatRefusesTheOwnPutAsUnsupportedGetsTheObjectThroughTheSdk() throws Exception {
        byte[] body = data(9, 3_000);
        try (S3Store s = new S3Store(server.settings(bucket), true)) {
            write(s, "unsupported/warm", body, md5(body)); // conditional writes proven
            server.proxy().clearRequests();
            server.proxy().failWhere(r -> r.method().equals("PUT") && r.path().endsWith("/unsupported/k"), 1, 501);
            write(s, "unsupported/k", body, md5(body));
            assertEquals(2, server.proxy().count("PUT", "/" + bucket + "/unsupported/k"), "refused once, then sent by the SDK");
            assertTrue(server.proxy().requests().get(0).injected());
            assertEquals(sha256(body, 0, body.length), server.proxy().requests().get(1).payloadHash(), "the SDK's, its payload signed: " + server.proxy().requests());
            assertArrayEquals(body, sdkRead("unsupported/k"));
            byte[] other = data(11, 3_000);
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> write(s, "unsupported/k", other, md5(other)),
                    "the SDK's write is still conditional");
            assertArrayEquals(body, sdkRead("unsupported/k"));
        }
    }

    @Test
    void anInterruptedThreadStopsReadingAndSendsNoRequest() throws Exception {
        byte[] body = data(10, 300_000);
        write(store, "interrupt/k", body, md5(body));
        S3Requests requests = requests();
        S3Requests.Download d = requests.get("interrupt/k");
        try (InputStream in = d.body()) {
            assertEquals(1000, in.readNBytes(1000).length);
            Thread.currentThread().interrupt();
            assertThrows(java.io.InterruptedIOException.class, () -> in.read(new byte[100]));
            server.proxy().clearRequests();
            assertThrows(java.io.InterruptedIOException.class, () -> requests.get("interrupt/k"));
            assertEquals(0, server.proxy().requests().size());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aPutWhoseAnswerIsLostIsRecognisedAsOursWithOrWithoutConditionalWrites() throws Exception {
        byte[] body = data(12, 40_000);
        write(store, "lost/warm", body, md5(body)); // conditional writes proven on this store
        server.proxy().clearRequests();
        server.proxy().loseAnswersWhere(r -> r.method().equals("PUT") && r.path().endsWith("/lost/conditional"), 1);
        write(store, "lost/conditional", body, md5(body));
        assertEquals(2, server.proxy().count("PUT", "/" + bucket + "/lost/conditional"), "sent again through the SDK, refused (412) as there, and ours");
        assertArrayEquals(body, sdkRead("lost/conditional"));

        // a store that takes no If-None-Match (its probe is answered 501)
        server.proxy().failWhere(r -> r.path().endsWith(".conditional-write-probe"), 10, 501);
        try (S3Store plain = new S3Store(server.settings(bucket), true)) {
            server.proxy().loseAnswersWhere(r -> r.method().equals("PUT") && r.path().endsWith("/lost/plain"), 1);
            server.proxy().clearRequests();
            write(plain, "lost/plain", body, md5(body));
            assertEquals(1, server.proxy().count("PUT", "/" + bucket + "/lost/plain"), "found there and ours: not sent again");
            assertArrayEquals(body, sdkRead("lost/plain"));
            byte[] other = data(13, 40_000);
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> write(plain, "lost/plain", other, md5(other)));
        }
        assertEquals(0, server.proxy().faultsPending(), "both lost answers happened");
    }

    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final int PART = 5 << 20;

    /** Writes {@code data} through {@code s} as a multipart upload of parts of 5 MiB (S3's smallest), three in flight. */
    private static void writeParts(S3Store s, String key, byte[] data) throws IOException {
        try (PendingObject p = s.createWith(key, META, new PartPlan(PART, 3, PART), null)) {
            for (int off = 0; off < data.length; off += 1 << 20) p.stream().write(data, off, Math.min(1 << 20, data.length - off));
            p.commit();
        }
    }

    /** The part number of an UploadPart request for {@code key}, or 0 when {@code r} is not one. */
    private static int partOf(FaultyProxy.Request r, String key) {
        if (!r.method().equals("PUT") || !r.path().equals("/" + bucket + "/" + key)) return 0;
        for (String param : r.query().split("&")) {
            if (param.startsWith("partNumber=")) return Integer.parseInt(param.substring("partNumber=".length()));
        }
        return 0;
    }

    /** The UploadPart requests for {@code key} seen since the proxy's requests were last cleared, in order. */
    private static List<FaultyProxy.Request> parts(String key) {
        return server.proxy().requests().stream().filter(r -> partOf(r, key) > 0).toList();
    }

    private static String sha256(byte[] data, int from, int to) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOfRange(data, from, to)));
    }

    /** S3's ETag of {@code data} uploaded in parts of {@link #PART}. */
    private static String multipartEtag(byte[] data) throws Exception {
        MessageDigest all = MessageDigest.getInstance("MD5");
        int n = 0;
        for (int off = 0; off < data.length; off += PART, n++) {
            all.update(MessageDigest.getInstance("MD5").digest(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + PART))));
        }
        return HexFormat.of().formatHex(all.digest()) + "-" + n;
    }

    @Test
    void partsAreOwnUnsignedRequestsWithAContentMd5ThatTheStoreChecks() throws Exception {
        byte[] data = data(20, 2 * PART + 12_345);
        server.proxy().clearRequests();
        writeParts(store, "parts/own", data);
        List<FaultyProxy.Request> parts = parts("parts/own");
        assertEquals(List.of(1, 2, 3), parts.stream().map(r -> partOf(r, "parts/own")).sorted().toList(), "each part once: " + parts);
        assertTrue(parts.stream().allMatch(r -> r.payloadHash().equals(UNSIGNED)), "no part hashed for a signature: " + parts);
        assertArrayEquals(data, sdkRead("parts/own"));
        assertEquals(multipartEtag(data), S3Store.unquote(server.client().headObject(b -> b.bucket(bucket).key("parts/own")).eTag()));

        // the store checks a part's Content-MD5: a part that does not match it is refused
        byte[] body = data(21, PART);
        String uploadId = server.client().createMultipartUpload(b -> b.bucket(bucket).key("parts/wrong")).uploadId();
        try {
            S3Requests.Refused e = assertThrows(S3Requests.Refused.class, () -> requests().putPart("parts/wrong", uploadId, 1,
                    md5(data(22, PART)), () -> new ByteArrayInputStream(body), body.length));
            assertTrue(List.of("BadDigest", "InvalidDigest").contains(e.code()), e.getMessage());
            assertEquals(md5(body), requests().putPart("parts/wrong", uploadId, 1, md5(body), () -> new ByteArrayInputStream(body), body.length),
                    "the same part with its own MD5 is taken, and its ETag is that MD5");
        } finally {
            server.client().abortMultipartUpload(b -> b.bucket(bucket).key("parts/wrong").uploadId(uploadId));
        }
    }

    @Test
    void aPartDamagedOnTheWayIsRefusedByTheStoreAndSentAgainSigned() throws Exception {
        byte[] data = data(23, 2 * PART + 777);
        server.proxy().clearRequests();
        server.proxy().damageRequestsWhere(r -> partOf(r, "parts/damaged") == 2, 1);
        writeParts(store, "parts/damaged", data);
        assertEquals(0, server.proxy().faultsPending(), "the part was damaged");
        List<FaultyProxy.Request> second = parts("parts/damaged").stream().filter(r -> partOf(r, "parts/damaged") == 2).toList();
        assertEquals(2, second.size(), "refused, then sent again: " + second);
        assertEquals(UNSIGNED, second.get(0).payloadHash());
        assertEquals(sha256(data, PART, 2 * PART), second.get(1).payloadHash(), "sent again through the SDK, its payload signed");
        assertTrue(parts("parts/damaged").stream().filter(r -> partOf(r, "parts/damaged") != 2).allMatch(r -> r.payloadHash().equals(UNSIGNED)),
                "the other parts stay own requests");
        assertArrayEquals(data, sdkRead("parts/damaged"));
    }

    @Test
    void aPartWhoseConnectionBreaksIsSentAgainThroughTheSdk() throws Exception {
        byte[] data = data(24, 2 * PART + 99);
        server.proxy().clearRequests();
        server.proxy().cutRequestAfter(1, 1 << 20); // the first request with more than 1 MiB of body: a part
        writeParts(store, "parts/cut", data);
        assertEquals(0, server.proxy().faultsPending());
        List<FaultyProxy.Request> parts = parts("parts/cut");
        assertEquals(4, parts.size(), parts.toString());
        int cut = partOf(parts.get(0), "parts/cut");
        List<FaultyProxy.Request> again = parts.stream().filter(r -> partOf(r, "parts/cut") == cut).toList();
        assertEquals(2, again.size(), parts.toString());
        assertEquals(sha256(data, (cut - 1) * PART, Math.min(data.length, cut * PART)), again.get(1).payloadHash());
        assertArrayEquals(data, sdkRead("parts/cut"));
    }

    @Test
    void aStoreThatRefusesTheOwnPartAsUnsupportedGetsItsPartsThroughTheSdk() throws Exception {
        byte[] data = data(25, 2 * PART + 5);
        try (S3Store s = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            server.proxy().failWhere(r -> partOf(r, "parts/unsupported") == 1, 1, 501);
            writeParts(s, "parts/unsupported", data);
            List<FaultyProxy.Request> first = parts("parts/unsupported").stream().filter(r -> partOf(r, "parts/unsupported") == 1).toList();
            assertEquals(2, first.size(), first.toString());
            assertTrue(first.get(0).injected());
            assertEquals(sha256(data, 0, PART), first.get(1).payloadHash(), "sent again through the SDK: " + server.proxy().requests());
            assertArrayEquals(data, sdkRead("parts/unsupported"));

            server.proxy().clearRequests();
            writeParts(s, "parts/after", data);
            List<FaultyProxy.Request> after = parts("parts/after");
            assertEquals(3, after.size(), after.toString());
            assertTrue(after.stream().noneMatch(r -> r.payloadHash().equals(UNSIGNED)), "own parts are off for this store: " + after);
            assertArrayEquals(data, sdkRead("parts/after"));
        }
    }

    /** Whether {@code r} is a request about the multipart upload of {@code key}: its start (?uploads), completion or abort (?uploadId=). */
    private static boolean uploadCall(FaultyProxy.Request r, String key, String method, String query) {
        return r.method().equals(method) && r.path().equals("/" + bucket + "/" + key) && r.query().startsWith(query) && partOf(r, key) == 0;
    }

    @Test
    void aMultipartUploadIsStartedAndCompletedByOwnRequestsAndTheSdkIsNotAsked() throws Exception {
        byte[] data = data(26, 2 * PART + 4321);
        try (S3Store s = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            writeParts(s, "multipart/own", data);
            List<FaultyProxy.Request> seen = server.proxy().requests();
            assertEquals(1, seen.stream().filter(r -> uploadCall(r, "multipart/own", "POST", "uploads")).count(), "one start: " + seen);
            assertEquals(1, seen.stream().filter(r -> uploadCall(r, "multipart/own", "POST", "uploadId=")).count(), "one completion: " + seen);
            assertEquals(3, parts("multipart/own").size(), seen.toString());
            assertTrue(seen.stream().noneMatch(FaultyProxy.Request::sdk), "no request of the SDK's: " + seen);
            assertArrayEquals(data, sdkRead("multipart/own"));
            var head = server.client().headObject(b -> b.bucket(bucket).key("multipart/own"));
            assertEquals(multipartEtag(data), S3Store.unquote(head.eTag()));
            assertEquals(META, head.metadata(), "the start carried the object's metadata");
            assertEquals("application/octet-stream", head.contentType());
            // the stat of lifeboat's own HEAD agrees with the SDK's
            ObjectInfo own = s.stat("multipart/own").orElseThrow();
            assertEquals(data.length, own.size());
            assertEquals(multipartEtag(data), own.etag());
            assertEquals(META, own.metadata());
            assertEquals(head.lastModified(), own.lastModified());
            assertTrue(s.stat("multipart/none").isEmpty());
            assertEquals(java.time.Instant.parse("1994-11-06T08:49:37Z"), S3Requests.lastModified("Sun, 06 Nov 1994 08:49:37 GMT"));
            assertEquals(null, S3Requests.lastModified("yesterday"), "a time that is not an HTTP date is no time, not a failed HEAD");
        }
    }

    @Test
    void aCompletionAnsweredWithAnErrorInA200FailsAndTheUploadIsAborted() throws Exception {
        byte[] data = data(27, PART + 10);
        server.proxy().clearRequests();
        // S3 may answer a CompleteMultipartUpload 200 and then report an error in the body
        server.proxy().failWhere(r -> uploadCall(r, "multipart/error200", "POST", "uploadId="), 1, 200);
        IOException e = assertThrows(IOException.class, () -> writeParts(store, "multipart/error200", data));
        assertTrue(e.getMessage().contains("complete upload") && e.getMessage().contains("InjectedFault"), e.getMessage());
        assertTrue(store.stat("multipart/error200").isEmpty(), "no object");
        List<FaultyProxy.Request> seen = server.proxy().requests();
        assertTrue(seen.stream().anyMatch(r -> uploadCall(r, "multipart/error200", "DELETE", "uploadId=") && !r.sdk()),
                "the upload was aborted, by an own request: " + seen);
        assertTrue(server.client().listMultipartUploads(b -> b.bucket(bucket).prefix("multipart/error200")).uploads().isEmpty(),
                "no upload left behind");
    }

    @Test
    void aCompletionWhoseAnswerIsLostIsRecognisedAsOurs() throws Exception {
        byte[] data = data(28, PART + 77);
        server.proxy().clearRequests();
        server.proxy().loseAnswersWhere(r -> uploadCall(r, "multipart/lost", "POST", "uploadId="), 1);
        writeParts(store, "multipart/lost", data);
        assertEquals(0, server.proxy().faultsPending(), "the answer was lost");
        assertArrayEquals(data, sdkRead("multipart/lost"));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> writeParts(store, "multipart/lost", data(29, PART + 1)),
                "and an object that is there is still never overwritten");
        assertArrayEquals(data, sdkRead("multipart/lost"));
    }

    @Test
    void aStoreThatRefusesTheOwnStartAsUnsupportedGetsTheUploadThroughTheSdk() throws Exception {
        byte[] data = data(30, PART + 3);
        try (S3Store s = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            server.proxy().failWhere(r -> uploadCall(r, "multipart/unsupported", "POST", "uploads"), 1, 501);
            writeParts(s, "multipart/unsupported", data);
            List<FaultyProxy.Request> starts = server.proxy().requests().stream()
                    .filter(r -> uploadCall(r, "multipart/unsupported", "POST", "uploads")).toList();
            assertEquals(2, starts.size(), starts.toString());
            assertTrue(starts.get(0).injected() && !starts.get(0).sdk());
            assertTrue(starts.get(1).sdk(), "started again through the SDK: " + starts);
            assertTrue(server.proxy().requests().stream().filter(r -> partOf(r, "multipart/unsupported") > 0 || uploadCall(r, "multipart/unsupported", "POST", "uploadId="))
                    .allMatch(FaultyProxy.Request::sdk), "parts and completion through the SDK too: " + server.proxy().requests());
            assertArrayEquals(data, sdkRead("multipart/unsupported"));
        }
    }

    @Test
    void aSmallObjectIsReplacedAndReadWholeByOwnRequests() throws Exception {
        byte[] first = data(31, 100_000);
        byte[] second = data(32, 300_000);
        try (S3Store s = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            s.replace("index/own", first, META);
            s.replace("index/own", second, META); // replaced, not refused
            assertArrayEquals(second, s.read("index/own"));
            assertThrows(java.nio.file.NoSuchFileException.class, () -> s.read("index/none"));
            List<FaultyProxy.Request> seen = server.proxy().requests();
            assertEquals(2, seen.stream().filter(r -> r.method().equals("PUT")).count(), seen.toString());
            assertEquals(2, seen.stream().filter(r -> r.method().equals("GET")).count(), seen.toString());
            assertTrue(seen.stream().noneMatch(FaultyProxy.Request::sdk), "no request of the SDK's: " + seen);
            var head = server.client().headObject(b -> b.bucket(bucket).key("index/own"));
            assertEquals(md5(second), S3Store.unquote(head.eTag()));
            assertEquals(META, head.metadata());

            // a read whose answer breaks in its body is read again through the SDK, which resumes
            server.proxy().clearRequests();
            server.proxy().cutNext(1, 50_000);
            assertArrayEquals(second, s.read("index/own"));
            assertEquals(0, server.proxy().faultsPending(), "the answer was cut");
            assertTrue(server.proxy().requests().stream().anyMatch(r -> r.method().equals("GET") && r.sdk()), server.proxy().requests().toString());
        }
    }

    @Test
    void aBodyGoesToTheConnectionInLargeWrites() throws Exception {
        byte[] body = data(26, (1 << 20) * 3 + 5);
        RecordingOutputStream recording = new RecordingOutputStream();
        List<Integer> writes = recording.writes;
        // a part's stream hands out its 1 MiB blocks in pieces, as PartBuffer's does
        InputStream in = new java.io.SequenceInputStream(new ByteArrayInputStream(body, 0, 1 << 20),
                new ByteArrayInputStream(body, 1 << 20, body.length - (1 << 20)));
        assertEquals(body.length, S3Requests.copyBody(in, recording, body.length));
        assertArrayEquals(body, recording.received.toByteArray());
        int big = BufferedBodyConnection.BUFFER;
        assertEquals(body.length / big + 1, writes.size(), "whole writes of " + big + " bytes and the rest: " + writes);
        assertTrue(writes.subList(0, writes.size() - 1).stream().allMatch(n -> n == big), writes.toString());
        List<Integer> small = new java.util.ArrayList<>();
        S3Requests.copyBody(new ByteArrayInputStream(new byte[300]), new java.io.OutputStream() {
            @Override
            public void write(int b) {
                small.add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                small.add(len);
                assertTrue(b.length <= 300, "a small body takes a buffer of its own size");
            }
        }, 300);
        assertEquals(List.of(300), small);
    }
}
