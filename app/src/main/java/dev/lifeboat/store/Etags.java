package dev.lifeboat.store;

import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * What S3 ETags and Content-MD5s are made of: the ETag of an object written in one request
 * (without KMS encryption) is the hex MD5 of its content, that of a multipart upload the MD5 of
 * its parts' binary MD5s with "-" and the number of parts; Content-MD5 is the binary MD5 in base64.
 */
public final class Etags {
    private Etags() {}

    /** The hex MD5 of everything {@code in} holds (closed after). */
    static String md5Hex(InputStream in) throws IOException {
        try (in) {
            MessageDigest md5 = md5();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md5.update(buf, 0, n);
            return HexFormat.of().formatHex(md5.digest());
        }
    }

    /** S3's ETag of a completed multipart upload of {@code parts}; "" when a part's ETag is no MD5. */
    static String multipart(List<CompletedPart> parts) {
        try {
            MessageDigest md5 = md5();
            parts.stream().sorted(Comparator.comparing(CompletedPart::partNumber))
                    .forEach(p -> md5.update(HexFormat.of().parseHex(S3Store.unquote(p.eTag()))));
            return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** An ETag header's value without quotes, a weak marker or surrounding space; null stays null. */
    public static String unquote(String etag) {
        if (etag == null) return null;
        String e = etag.strip();
        if (e.startsWith("W/")) e = e.substring(2);
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    /** The Content-MD5 header for a hex MD5. */
    static String contentMd5(String md5Hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
