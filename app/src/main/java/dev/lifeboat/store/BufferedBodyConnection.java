package dev.lifeboat.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URL;
import java.security.Permission;
import java.util.List;
import java.util.Map;

/**
 * An HTTP connection whose request body reaches the socket in large writes. The SDK's
 * URL-connection transport copies a body into {@link #getOutputStream()} 4 KiB at a time, and
 * the JDK's fixed-length body stream flushes to the socket on every write, so a 16 MiB part
 * went out in 4,096 system calls, each one waking the server. Here the body passes through a
 * {@value #BUFFER} byte buffer first, and the JDK's stream, given a write that large, hands it
 * to the socket whole.
 *
 * <p>The buffer is flushed before anything that sends the request or reads the response
 * (the status, headers, response streams), so the server sees the same bytes and the same
 * byte count as before; {@link #disconnect()} (the SDK's abort) discards it. Every other
 * method is the wrapped connection's.
 */
final class BufferedBodyConnection extends HttpURLConnection {
    static final int BUFFER = 256 * 1024;

    private final HttpURLConnection c;
    private long fixedLength = -1;
    private BufferedOutputStream body;

    BufferedBodyConnection(HttpURLConnection c) {
        super(c.getURL());
        this.c = c;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (body == null) {
            // a small body (mirror copies thousands) gets a buffer of its own size, not 256 KiB of garbage
            int size = fixedLength < 0 ? BUFFER : (int) Math.max(1, Math.min(BUFFER, fixedLength));
            body = new BufferedOutputStream(c.getOutputStream(), size);
        }
        return body;
    }

    /** Sends what the buffer still holds; the request body is then complete on the wire. */
    private void finishBody() throws IOException {
        if (body != null) body.flush();
    }

    @Override
    public int getResponseCode() throws IOException {
        finishBody();
        return c.getResponseCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
        finishBody();
        return c.getResponseMessage();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        finishBody();
        return c.getInputStream();
    }

    /** {@link #finishBody} for the methods that cannot throw: false when the body could not be sent. */
    private boolean bodySent() {
        try {
            finishBody();
            return true;
        } catch (IOException e) {
            return false; // then there is no response to read: the JDK's answers for that case below
        }
    }

    @Override
    public InputStream getErrorStream() {
        return bodySent() ? c.getErrorStream() : null;
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return bodySent() ? c.getHeaderFields() : Map.of();
    }

    @Override
    public String getHeaderField(String name) {
        return bodySent() ? c.getHeaderField(name) : null;
    }

    @Override
    public String getHeaderField(int n) {
        return bodySent() ? c.getHeaderField(n) : null;
    }

    @Override
    public String getHeaderFieldKey(int n) {
        return bodySent() ? c.getHeaderFieldKey(n) : null;
    }

    @Override
    public long getContentLengthLong() {
        String v = getHeaderField("Content-Length");
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public int getContentLength() {
        long n = getContentLengthLong();
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    @Override
    public String getContentType() {
        return getHeaderField("Content-Type");
    }

    // ---- everything else is the wrapped connection's

    @Override
    public void connect() throws IOException {
        c.connect();
    }

    @Override
    public void disconnect() {
        body = null; // an abort: what is still buffered is never sent
        c.disconnect();
    }

    @Override
    public boolean usingProxy() {
        return c.usingProxy();
    }

    @Override
    public URL getURL() {
        return c.getURL();
    }

    @Override
    public void setRequestMethod(String method) throws ProtocolException {
        c.setRequestMethod(method);
    }

    @Override
    public String getRequestMethod() {
        return c.getRequestMethod();
    }

    @Override
    public void setRequestProperty(String key, String value) {
        c.setRequestProperty(key, value);
    }

    @Override
    public void addRequestProperty(String key, String value) {
        c.addRequestProperty(key, value);
    }

    @Override
    public String getRequestProperty(String key) {
        return c.getRequestProperty(key);
    }

    @Override
    public Map<String, List<String>> getRequestProperties() {
        return c.getRequestProperties();
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        c.setFixedLengthStreamingMode(contentLength);
        fixedLength = contentLength;
    }

    @Override
    public void setFixedLengthStreamingMode(long contentLength) {
        c.setFixedLengthStreamingMode(contentLength);
        fixedLength = contentLength;
    }

    @Override
    public void setChunkedStreamingMode(int chunklen) {
        c.setChunkedStreamingMode(chunklen);
    }

    @Override
    public void setInstanceFollowRedirects(boolean follow) {
        c.setInstanceFollowRedirects(follow);
    }

    @Override
    public boolean getInstanceFollowRedirects() {
        return c.getInstanceFollowRedirects();
    }

    @Override
    public void setDoOutput(boolean doOutput) {
        c.setDoOutput(doOutput);
    }

    @Override
    public boolean getDoOutput() {
        return c.getDoOutput();
    }

    @Override
    public void setDoInput(boolean doInput) {
        c.setDoInput(doInput);
    }

    @Override
    public boolean getDoInput() {
        return c.getDoInput();
    }

    @Override
    public void setUseCaches(boolean useCaches) {
        c.setUseCaches(useCaches);
    }

    @Override
    public boolean getUseCaches() {
        return c.getUseCaches();
    }

    @Override
    public void setConnectTimeout(int timeout) {
        c.setConnectTimeout(timeout);
    }

    @Override
    public int getConnectTimeout() {
        return c.getConnectTimeout();
    }

    @Override
    public void setReadTimeout(int timeout) {
        c.setReadTimeout(timeout);
    }

    @Override
    public int getReadTimeout() {
        return c.getReadTimeout();
    }

    @Override
    public Permission getPermission() throws IOException {
        return c.getPermission();
    }

    @Override
    public String toString() {
        return c.toString();
    }
}
