package dev.lifeboat.store;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request body reaches the JDK's stream in writes of the buffer's size, and all of it
 * before anything reads the response; over a real HTTP server the body arrives intact.
 */
class BufferedBodyConnectionTest {
    private static final int SDK_COPY = 4096; // the SDK copies a body 4 KiB at a time

    /** Writes {@code body} the way the SDK's transport does: connect, 4 KiB writes, then the status. */
    private static int sendLikeTheSdk(HttpURLConnection c, byte[] body) throws IOException {
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode((long) body.length);
        c.connect();
        OutputStream out = c.getOutputStream();
        for (int off = 0; off < body.length; off += SDK_COPY) out.write(body, off, Math.min(SDK_COPY, body.length - off));
        return c.getResponseCode();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void theBodyReachesTheWrappedStreamInLargeWritesAndWholeBeforeTheStatus() throws IOException {
        byte[] body = random(3 * BufferedBodyConnection.BUFFER + 12345);
        Recording wrapped = new Recording();
        assertEquals(200, sendLikeTheSdk(new BufferedBodyConnection(wrapped), body));

        assertEquals(body.length, wrapped.bytesBeforeStatus, "every byte was handed on before the status was asked for");
        List<Integer> writes = wrapped.writes;
        for (int i = 0; i < writes.size() - 1; i++) assertEquals(BufferedBodyConnection.BUFFER, writes.get(i), "write " + i);
        assertEquals(4, writes.size(), "three full buffers and the rest: " + writes);
        assertTrue(java.util.Arrays.equals(body, wrapped.received.toByteArray()));
    }

    @Test
    void aSmallBodyGoesOutInOneWrite() throws IOException {
        byte[] body = random(10_000);
        Recording wrapped = new Recording();
        assertEquals(200, sendLikeTheSdk(new BufferedBodyConnection(wrapped), body));
        assertEquals(List.of(10_000), wrapped.writes);
        assertTrue(java.util.Arrays.equals(body, wrapped.received.toByteArray()));
    }

    @Test
    void headersAndStreamsOfTheResponseAlsoWaitForTheWholeBody() throws IOException {
        byte[] body = random(5000);
        for (String read : List.of("headers", "input", "error", "message")) {
            Recording wrapped = new Recording();
            BufferedBodyConnection c = new BufferedBodyConnection(wrapped);
            c.setDoOutput(true);
            c.getOutputStream().write(body);
            switch (read) {
                case "headers" -> c.getHeaderFields();
                case "input" -> c.getInputStream();
                case "error" -> c.getErrorStream();
                default -> c.getResponseMessage();
            }
            assertEquals(body.length, wrapped.bytesBeforeStatus, read);
        }
    }

    @Test
    void anAbortSendsNothingMore() throws IOException {
        Recording wrapped = new Recording();
        BufferedBodyConnection c = new BufferedBodyConnection(wrapped);
        c.setDoOutput(true);
        c.getOutputStream().write(random(1000));
        c.disconnect();
        assertTrue(wrapped.disconnected);
        assertEquals(0, wrapped.received.size());
    }

    @Test
    void overARealServerTheBodyArrivesIntact() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] got;
            try (InputStream in = exchange.getRequestBody()) {
                got = in.readAllBytes();
            }
            byte[] answer;
            try {
                answer = (got.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got)))
                        .getBytes(StandardCharsets.UTF_8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/key");
            HttpURLConnection c = S3Clients.plainConnection(uri);
            assertInstanceOf(BufferedBodyConnection.class, c, "plain-HTTP connections of the S3 client buffer their bodies");
            byte[] body = random(2 * BufferedBodyConnection.BUFFER + 777);
            assertEquals(200, sendLikeTheSdk(c, body));
            String answer;
            try (InputStream in = c.getInputStream()) {
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(body.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)), answer);
        } finally {
            server.stop(0);
        }
    }

    /** A stand-in for the JDK's connection that records what reaches its body stream, and when. */
    private static final class Recording extends HttpURLConnection {
        private final RecordingOutputStream body = new RecordingOutputStream();
        final ByteArrayOutputStream received = body.received;
        final List<Integer> writes = body.writes;
        int bytesBeforeStatus = -1;
        boolean disconnected;

        Recording() {
            super(url());
        }

        private static URL url() {
            try {
                return URI.create("http://127.0.0.1:9/x").toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void responseRead() {
            if (bytesBeforeStatus < 0) bytesBeforeStatus = received.size();
        }

        @Override
        public OutputStream getOutputStream() {
            return body;
        }

        @Override
        public int getResponseCode() {
            responseRead();
            return 200;
        }

        @Override
        public String getResponseMessage() {
            responseRead();
            return "OK";
        }

        @Override
        public InputStream getInputStream() {
            responseRead();
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            responseRead();
            return null;
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            responseRead();
            return Map.of();
        }

        @Override
        public void connect() {
        }

        @Override
        public void disconnect() {
            disconnected = true;
        }

        @Override
        public boolean usingProxy() {
            return false;
        }
    }
}
