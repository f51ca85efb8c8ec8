package dev.lifeboat.store;

import dev.lifeboat.harness.FaultyProxy;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lifeboat's own ListObjectsV2 reader (used for every store with an endpoint) against the SDK's
 * paginator on the same bucket of a real S3 server, and its retries and refusals through the
 * fault proxy.
 */
class S3ListingTest {
    private static S3Server server;
    private static final AtomicInteger buckets = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void disarm() {
        server.proxy().failNext(0, 503);
    }

    private static String bucket(List<String> keys) {
        String bucket = "listing-" + buckets.incrementAndGet();
        server.createBucket(bucket);
        keys.parallelStream().forEach(k -> server.client().putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString("v:" + k)));
        return bucket;
    }

    @Test
    void answersWhatTheSdkAnswersEvenForKeysThatNeedEscaping() throws Exception {
        List<String> keys = List.of("plain", "sp ace/x y", "plus+sign", "pct%41%", "amp&lt;<gt>\"q'", "ünïcödé/ключ/鍵",
                "tab\tkey", "deep/a/b/c/d", "deep/a/top", "q?x=1#frag", "~tilde*star(paren)");
        String bucket = bucket(keys);
        try (S3Store own = new S3Store(server.settings(bucket), true); S3Store sdk = new S3Store(server.settings(bucket), false)) {
            List<ObjectInfo> expected = sdk.list("");
            assertEquals(keys.size(), expected.size());
            assertEquals(expected, own.list(""));
            assertEquals(expected, own.list("", 8), "walked level by level");
            assertEquals(sdk.list("", 8), own.list("", 8));
            assertEquals(sdk.list("sp ace/"), own.list("sp ace/"));
            assertEquals(1, own.list("ünïcödé/ключ/").size());
            assertEquals(sdk.list("deep/a/", 4), own.list("deep/a/", 4));
        }
    }

    @Test
    void followsContinuationTokensInBothModes() throws Exception {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 1205; i++) keys.add(String.format("flat/%05d", i));
        for (int i = 0; i < 40; i++) keys.add(String.format("dirs/%02d/x", i));
        String bucket = bucket(keys);
        try (S3Store own = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            List<ObjectInfo> all = own.list("");
            assertEquals(keys.size(), all.size());
            assertTrue(server.proxy().count("GET", "/" + bucket) >= 2, "more than one page");
            assertEquals(all, own.list("", 8));
        }
    }

    @Test
    void serverErrorsAreRetriedAndAStoreThatKeepsFailingIsReported() throws Exception {
        String bucket = bucket(List.of("a", "b/c"));
        try (S3Store own = new S3Store(server.settings(bucket), true)) {
            server.proxy().clearRequests();
            server.proxy().failNext(2, 503);
            assertEquals(2, own.list("").size());
            assertEquals(3, server.proxy().count("GET", "/" + bucket));
            assertEquals(2, server.proxy().requests().stream().filter(FaultyProxy.Request::injected).count());

            server.proxy().clearRequests();
            server.proxy().failNext(1000, 500);
            IOException e = assertThrows(IOException.class, () -> own.list(""));
            assertTrue(e.getMessage().startsWith("s3://" + bucket + ": list failed"), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
            assertEquals(S3Clients.MAX_ATTEMPTS, server.proxy().count("GET", "/" + bucket), "as many attempts as the SDK makes");
        }
    }

    @Test
    void refusalsAreNotRetriedAndNameWhatToCheck() throws Exception {
        String bucket = bucket(List.of("a"));
        String wrong = "wrong-secret-for-listing";
        S3Settings bad = new S3Settings(server.endpoint(), S3Server.REGION, bucket, server.accessKey(), wrong, null, null, null);
        try (S3Store s = new S3Store(bad, true)) {
            server.proxy().clearRequests();
            IOException e = assertThrows(StoreConfigException.class, () -> s.list("", 8));
            assertTrue(e.getMessage().contains("access denied during list"), e.getMessage());
            assertFalse(e.getMessage().contains(wrong));
            assertEquals(1, server.proxy().requests().size(), "a refusal is final");
        }
        try (S3Store s = new S3Store(server.settings("no-such-listing-bucket"), true)) {
            IOException e = assertThrows(StoreConfigException.class, () -> s.list(""));
            assertTrue(e.getMessage().contains("s3://no-such-listing-bucket: bucket does not exist"), e.getMessage());
        }
    }

    private static S3Listing.Page parse(String xml) throws IOException {
        return ListingXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPageIsReadAsTheStoreWroteIt() throws Exception {
        S3Listing.Page encoded = parse("<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Name>b</Name><IsTruncated>true</IsTruncated><NextContinuationToken>tok+/=</NextContinuationToken>"
                + "<Contents><Key>a%20b%2Bc%25</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>12</Size></Contents>"
                + "<CommonPrefixes><Prefix>d%2Fe/</Prefix></CommonPrefixes><EncodingType>url</EncodingType></ListBucketResult>");
        assertEquals(List.of(new S3Listing.Entry("a b+c%", 12, "abc", java.time.Instant.parse("2026-01-02T03:04:05Z"))), encoded.entries());
        assertEquals(List.of("d/e/"), encoded.prefixes());
        assertEquals("tok+/=", encoded.next(), "the token goes back as it came");

        S3Listing.Page literal = parse("<ListBucketResult><IsTruncated>false</IsTruncated>"
                + "<Contents><Key>a%20b+c</Key><Size>0</Size><ETag>e</ETag></Contents></ListBucketResult>");
        assertEquals("a%20b+c", literal.entries().get(0).key(), "without EncodingType=url a key is taken literally");
        assertNull(literal.entries().get(0).lastModified());
        assertNull(literal.next());
    }

    @Test
    void anAnswerThatIsNotAWholeListingIsAnError() {
        for (String xml : List.of(
                "<Error><Code>InternalError</Code><Message>oops</Message></Error>",
                "<html><body>gateway</body></html>",
                "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                "<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>",
                "<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>",
                "<ListBucketResult><Contents><Key>k</Key>",
                "")) {
            assertThrows(IOException.class, () -> parse(xml), xml);
        }
    }

    @Test
    void errorDocumentsGiveCodeAndMessage() throws Exception {
        String[] parsed = ListingXml.parseError("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your rate</Message><Resource>/b</Resource></Error>"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("SlowDown", parsed[0]);
        assertEquals("Reduce your rate", parsed[1]);
    }
}
