package dev.lifeboat.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The listings of {@link S3Store}, as {@link ObjectInfo}s with errors that name the bucket:
 * through {@link S3Listing} for a store with an endpoint, through the SDK's paginator for AWS
 * itself (which the SDK knows how to address).
 */
final class S3Lister {
    private S3Lister() {}

    /** lifeboat's own ListObjectsV2 reader. */
    static PrefixWalk.Lister<ObjectInfo> own(S3Listing listing, String bucket) {
        return new PrefixWalk.Lister<>() {
            @Override
            public PrefixWalk.Level<ObjectInfo> level(String prefix, int maxPrefixes) throws IOException {
                try {
                    PrefixWalk.Level<S3Listing.Entry> level = listing.level(prefix, maxPrefixes);
                    return level == null ? null : new PrefixWalk.Level<>(level.entries().stream().map(S3Lister::info).toList(), level.prefixes());
                } catch (IOException e) {
                    throw S3Errors.translate(bucket, prefix, "list", e);
                }
            }

            @Override
            public List<ObjectInfo> all(String prefix) throws IOException {
                try {
                    List<ObjectInfo> out = new ArrayList<>();
                    for (S3Listing.Entry e : listing.all(prefix)) out.add(info(e));
                    return out;
                } catch (IOException e) {
                    throw S3Errors.translate(bucket, prefix, "list", e);
                }
            }
        };
    }

    /** The SDK's ListObjectsV2 paginator. */
    static PrefixWalk.Lister<ObjectInfo> sdk(java.util.function.Supplier<S3Client> s3, String bucket) {
        return new PrefixWalk.Lister<>() {
            @Override
            public PrefixWalk.Level<ObjectInfo> level(String prefix, int maxPrefixes) throws IOException {
                List<ObjectInfo> entries = new ArrayList<>();
                List<String> prefixes = new ArrayList<>();
                try {
                    for (ListObjectsV2Response page : s3.get().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix.isEmpty() ? null : prefix).delimiter("/"))) {
                        for (S3Object o : page.contents()) entries.add(info(o));
                        for (CommonPrefix c : page.commonPrefixes()) prefixes.add(c.prefix());
                        if (prefixes.size() > maxPrefixes) return null;
                    }
                } catch (SdkException e) {
                    throw S3Errors.translate(bucket, prefix, "list", e);
                }
                return new PrefixWalk.Level<>(entries, prefixes);
            }

            @Override
            public List<ObjectInfo> all(String prefix) throws IOException {
                List<ObjectInfo> out = new ArrayList<>();
                try {
                    for (S3Object o : s3.get().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix.isEmpty() ? null : prefix)).contents()) {
                        out.add(info(o));
                    }
                } catch (SdkException e) {
                    throw S3Errors.translate(bucket, prefix, "list", e);
                }
                return out;
            }
        };
    }

    private static ObjectInfo info(S3Listing.Entry e) {
        return new ObjectInfo(e.key(), e.size(), e.lastModified(), e.etag(), Map.of());
    }

    private static ObjectInfo info(S3Object o) {
        return new ObjectInfo(o.key(), o.size(), o.lastModified(), S3Store.unquote(o.eTag()), Map.of());
    }
}
