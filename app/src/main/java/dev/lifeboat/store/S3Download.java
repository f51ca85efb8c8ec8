package dev.lifeboat.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Reads an object from an offset and, when the connection breaks (an IOException, or the stream
 * ending before the object's length), continues with a range request from the last byte
 * delivered, pinned to the first response's ETag. Gives up after {@link #MAX_RESUMES}
 * consecutive failures without progress.
 */
final class S3Download extends InputStream {
    static final int MAX_RESUMES = 5;
    private static final Logger log = LoggerFactory.getLogger(S3Download.class);

    /** Opens a GET from {@code position} (and with If-Match {@code etag} when not null). */
    interface Opener {
        ResponseInputStream<GetObjectResponse> open(long position, String etag) throws IOException;
    }

    private final String name;
    private final Opener opener;
    private ResponseInputStream<GetObjectResponse> in;
    private final String etag;
    private final long end;
    private long position;
    private int failures;
    private boolean closed;

    S3Download(String name, Opener opener, ResponseInputStream<GetObjectResponse> first, long offset) {
        this.name = name;
        this.opener = opener;
        this.in = first;
        this.position = offset;
        GetObjectResponse r = first.response();
        this.etag = r.eTag();
        this.end = totalSize(r, offset);
    }

    /** The object's full size, from Content-Range ("bytes 5-9/10") or offset + Content-Length. */
    static long totalSize(GetObjectResponse r, long offset) {
        String range = r.contentRange();
        if (range != null && range.contains("/") && !range.endsWith("/*")) {
            return Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim());
        }
        return r.contentLength() == null ? -1 : offset + r.contentLength();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException(name + ": stream closed");
        if (len == 0) return 0;
        while (true) {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                    failures = 0;
                    return n;
                }
                if (n < 0 && (end < 0 || position >= end)) return -1;
                if (n < 0) throw new IOException("connection ended at byte " + position + " of " + end);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException cause) throws IOException {
        if (++failures > MAX_RESUMES) {
            throw new IOException(name + ": download broke " + MAX_RESUMES + " times at byte " + position + ": " + cause.getMessage(), cause);
        }
        log.warn("{}: download broke at byte {} ({}); resuming (attempt {} of {})", name, position, cause.getMessage(), failures, MAX_RESUMES);
        in.abort();
        try {
            Thread.sleep(Math.min(8000L, 250L << (failures - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": download interrupted");
        }
        try {
            in = opener.open(position, etag);
        } catch (IOException e) {
            if (failures >= MAX_RESUMES) throw e;
            resume(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (end >= 0 && position < end) in.abort();
        in.close();
    }
}
