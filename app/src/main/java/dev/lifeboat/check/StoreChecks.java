package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.store.BucketProtection;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.S3Store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code store}: the backup store proves writable, readable, listable and deletable with one
 * small object {@code check/<host>-<uuid>} that it writes (with the configured SSE and storage
 * class), reads back, finds in a listing, deletes and no longer finds. {@code store-protection}:
 * versioning and object lock of an S3 bucket, for information.
 */
final class StoreChecks {
    static final String PREFIX = "check/";
    private static final String S3_FIX = "the backup role needs s3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject"
            + " (and s3:AbortMultipartUpload, s3:ListBucketMultipartUploads for rotate) on the bucket";

    private StoreChecks() {}

    /** True when the store passed every step. */
    static boolean roundTrip(ObjectStore store, String host, List<CheckResult> out) {
        String key = PREFIX + host + "-" + UUID.randomUUID();
        byte[] data = ("lifeboat check " + Version.get() + " at " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        boolean s3 = store instanceof S3Store;
        String step = "write";
        try {
            store.put(key, data, Map.of(ObjectStore.VERSION_METADATA, Version.get()));
            step = "read back";
            if (!Arrays.equals(store.read(key), data)) {
                out.add(CheckResult.fail("store", store.describe() + ": " + key + " read back different bytes than were written",
                        "check the store (a proxy or gateway rewriting objects?)"));
                return false;
            }
            step = "list";
            if (store.list(PREFIX).stream().map(ObjectInfo::key).noneMatch(key::equals)) {
                out.add(CheckResult.fail("store", store.describe() + ": " + key + " was written but a listing of " + PREFIX
                        + " does not show it", s3 ? S3_FIX : "check the directory's permissions"));
                return false;
            }
            step = "delete";
            store.delete(key);
            if (store.stat(key).isPresent()) {
                out.add(CheckResult.fail("store", store.describe() + ": " + key + " is still there after a delete (rotate could not"
                        + " remove old backups)", s3 ? S3_FIX + "; remove " + key + " by hand" : "remove " + key + " by hand"));
                return false;
            }
        } catch (IOException | LifeboatException e) {
            String left = step.equals("write") ? "" : " (remove " + key + " by hand if it is still there)";
            out.add(CheckResult.fail("store", "cannot " + step + " in " + store.describe() + ": " + e.getMessage() + left,
                    s3 ? "check BACKUP_S3_BUCKET, BACKUP_S3_ENDPOINT and the credentials; " + S3_FIX
                            : "check BACKUP_DIR and that this user may write, read and delete in it"));
            return false;
        }
        out.add(CheckResult.ok("store", store.describe() + ": wrote, read back, listed and deleted " + key
                + (s3 ? "; aborting unfinished uploads (rotate) cannot be proved without one" : "")));
        return true;
    }

    static CheckResult protection(ObjectStore store) {
        if (!(store instanceof S3Store s3)) {
            return CheckResult.skip("store-protection", store.describe() + " is a directory: no versioning or object lock to ask");
        }
        BucketProtection p = s3.protection();
        String note = p.versioning().equals("Enabled") || p.objectLock().startsWith("Enabled") ? ""
                : " (a deleted or overwritten backup cannot be recovered from the bucket itself)";
        return CheckResult.ok("store-protection", "versioning " + p.versioning() + ", object lock " + p.objectLock() + note);
    }
}
