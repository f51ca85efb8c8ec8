package dev.lifeboat.store;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BACKUP_S3_STORAGE_CLASS and BACKUP_S3_SSE reach every write (single puts and multipart
 * uploads), and a store that rejects one says so naming the variable, with exit 2 and nothing
 * left behind. S3Proxy answers a made-up storage class with 400 InvalidStorageClass and any
 * server-side encryption with 501 NotImplemented, as a store without SSE would.
 */
class S3OptionsTest {
    static final String DB = "s3_options";
    static PgCluster pg;
    static S3Server s3;
    static int n;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        s3 = S3Server.shared();
        pg.createDatabase(DB);
        pg.execute(DB, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
    }

    static String bucket() {
        String b = "s3-options-" + (++n);
        s3.createBucket(b);
        return b;
    }

    static Map<String, String> env(String bucket, String... pairs) throws Exception {
        Map<String, String> env = new HashMap<>(s3.env(bucket));
        env.put("DATABASE_URL", pg.url(DB));
        env.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        env.put("BACKUP_ENCRYPTION", "off");
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    static List<String> keys(String bucket) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    static void assertNothingLeft(String bucket) {
        assertEquals(List.of(), keys(bucket));
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "unfinished uploads");
    }

    @Test
    void theStorageClassIsAppliedToEveryObjectOfABackup() throws Exception {
        String bucket = bucket();
        Lifeboat.Result r = Lifeboat.run(env(bucket, "BACKUP_S3_STORAGE_CLASS", "STANDARD_IA"), "backup");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(3, keys(bucket).size(), keys(bucket).toString());
        for (String key : keys(bucket)) {
            assertEquals("STANDARD_IA", s3.client().headObject(b -> b.bucket(bucket).key(key)).storageClassAsString(), key);
        }
    }

    @Test
    void aRejectedStorageClassIsExit2NamingTheVariable() throws Exception {
        String bucket = bucket();
        Lifeboat.Result r = Lifeboat.run(env(bucket, "BACKUP_S3_STORAGE_CLASS", "GLACIER_XX"), "backup");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("the store rejected BACKUP_S3_STORAGE_CLASS=GLACIER_XX: InvalidStorageClass"), r.err());
        assertNothingLeft(bucket);
    }

    @Test
    void aRejectedServerSideEncryptionIsExit2NamingTheVariable() throws Exception {
        String bucket = bucket();
        Lifeboat.Result r = Lifeboat.run(env(bucket, "BACKUP_S3_SSE", "aws:kms", "BACKUP_S3_KMS_KEY_ID", "alias/backups"), "backup");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("the store rejected BACKUP_S3_SSE=aws:kms with BACKUP_S3_KMS_KEY_ID=alias/backups: NotImplemented"),
                r.err());
        assertNothingLeft(bucket);
    }

    @Test
    void multipartUploadsCarryTheOptionsAndARejectionIsAborted() throws Exception {
        String bucket = bucket();
        byte[] part = new byte[(int) PartPlan.MIN_PART + 4096];
        new java.util.Random(7).nextBytes(part);
        S3Settings good = new S3Settings(s3.endpoint(), S3Server.REGION, bucket, s3.accessKey(), s3.secretKey(), null, null, "STANDARD_IA");
        try (S3Store store = new S3Store(good); PendingObject p = store.create("big", Map.of(), 1)) {
            p.stream().write(part);
            p.commit();
        }
        assertTrue(s3.proxy().requests().stream().anyMatch(q -> q.path().equals("/" + bucket + "/big") && q.query().contains("uploads")),
                "it was a multipart upload");
        // S3Proxy keeps no storage class for a multipart object; the rejection below proves the header is on the create.

        S3Settings bad = new S3Settings(s3.endpoint(), S3Server.REGION, bucket, s3.accessKey(), s3.secretKey(), null, null, "GLACIER_XX");
        try (S3Store store = new S3Store(bad)) {
            PendingObject p = store.create("big-rejected", Map.of(), 1);
            OutputStream out = p.stream();
            LifeboatException e = assertThrows(LifeboatException.class, () -> out.write(part));
            p.close();
            assertEquals(2, e.exitCode().code);
            assertTrue(e.getMessage().startsWith("the store rejected BACKUP_S3_STORAGE_CLASS=GLACIER_XX: InvalidStorageClass"), e.getMessage());
            assertTrue(e.getMessage().contains("start upload of s3://" + bucket + "/big-rejected"), e.getMessage());
        }
        assertEquals(List.of("big"), keys(bucket));
        assertEquals(0, s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size());
    }
}
