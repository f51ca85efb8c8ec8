package dev.lifeboat.store;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;

/**
 * The requests of a multipart upload other than its parts, as lifeboat's own ({@link S3Requests}
 * signs and sends them): start, completion and abort, each a small XML exchange with the store.
 * The parts are {@link S3Requests#putPart}.
 */
final class S3UploadRequests {
    private final S3Requests requests;

    S3UploadRequests(S3Requests requests) {
        this.requests = requests;
    }

    /**
     * Starts a multipart upload of {@code key} with {@code headers} (the object's type, metadata,
     * encryption and storage class); returns its upload id.
     */
    String start(String key, Map<String, String> headers) throws IOException {
        String id = exchange(SdkHttpMethod.POST, key, Map.of("uploads", ""), headers, new byte[0]).get("UploadId");
        if (id == null || id.isEmpty()) throw new IOException("the store's answer to starting an upload has no UploadId");
        return id;
    }

    /**
     * Completes upload {@code uploadId} of {@code key} from {@code parts} (each one's number and
     * ETag as the store gave it, in order), with {@code headers} (If-None-Match: * or none);
     * returns the object's ETag. An error the store reports in a 200 answer (as S3 may, once the
     * answer has begun) is a {@link S3Requests.Refused} with status 200 and its code.
     */
    String complete(String key, String uploadId, List<CompletedPart> parts, Map<String, String> headers) throws IOException {
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (CompletedPart p : parts) {
            xml.append("<Part><PartNumber>").append(p.partNumber()).append("</PartNumber><ETag>")
                    .append(p.eTag().replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")).append("</ETag></Part>");
        }
        xml.append("</CompleteMultipartUpload>");
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put("Content-Type", "application/xml");
        Map<String, String> answer = exchange(SdkHttpMethod.POST, key, Map.of("uploadId", uploadId), all,
                xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Etags.unquote(answer.get("ETag"));
    }

    /** Aborts upload {@code uploadId} of {@code key} (its parts are dropped); NoSuchUpload is a {@link S3Requests.Refused}. */
    void abort(String key, String uploadId) throws IOException {
        exchange(SdkHttpMethod.DELETE, key, Map.of("uploadId", uploadId), Map.of(), null);
    }

    /**
     * A request with a small body (or none: null), retried as any other; returns the top level of
     * the answer's XML document (see {@link ListingXml#topLevel}; empty for no body). A body goes
     * with its Content-MD5 and an unsigned payload, as a PUT's; an Error document in a 2xx answer
     * is a {@link S3Requests.Refused}.
     */
    private Map<String, String> exchange(SdkHttpMethod method, String key, Map<String, String> query, Map<String, String> headers,
                                         byte[] body) throws IOException {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        if (body != null) {
            if (body.length > 0) {
                all.put(S3Requests.CONTENT_SHA256, S3Requests.UNSIGNED_PAYLOAD);
                all.put("Content-MD5", Etags.contentMd5(Etags.md5Hex(new java.io.ByteArrayInputStream(body))));
            }
            all.put("Content-Length", Integer.toString(body.length));
        }
        return S3Retries.retrying(() -> {
            HttpURLConnection c = requests.open(method, key, query, all);
            try {
                if (body != null) {
                    c.setDoOutput(true);
                    c.setFixedLengthStreamingMode(body.length);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = c.getResponseCode();
                if (status / 100 != 2) throw S3Requests.refused(c, status);
                byte[] answer;
                try (InputStream in = c.getInputStream()) {
                    answer = in.readNBytes(S3Requests.MAX_ERROR_BODY);
                }
                Map<String, String> doc;
                try {
                    doc = answer.length == 0 ? Map.of() : ListingXml.topLevel(answer);
                } catch (javax.xml.stream.XMLStreamException e) {
                    throw new IOException("the store's answer is not readable XML: " + e.getMessage(), e);
                }
                if ("Error".equals(doc.get(""))) {
                    throw new S3Requests.Refused(status, doc.getOrDefault("Code", ""), doc.getOrDefault("Message", ""));
                }
                return doc;
            } catch (IOException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
        });
    }
}
