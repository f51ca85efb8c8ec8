package dev.lifeboat.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Just enough HTTP/1.1 framing for {@link FaultyProxy}: message heads and body lengths. */
final class HttpFraming {
    private HttpFraming() {}

    /** A request or response head as received: its raw bytes and the parsed pieces. */
    record Head(byte[] raw, String startLine, String text) {
        String header(String name) {
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }

        boolean chunked() {
            String te = header("Transfer-Encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String cl = header("Content-Length");
            return cl == null ? -1 : Long.parseLong(cl);
        }
    }

    /** Reads a head up to the blank line; null at a clean end of stream. */
    static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                if (buf.size() == 0) return null;
                throw new IOException("connection closed inside an HTTP head");
            }
            buf.write(b);
            last4 = (last4 << 8) | b;
            if (buf.size() > 256 * 1024) throw new IOException("HTTP head too large");
        }
        byte[] raw = buf.toByteArray();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return new Head(raw, text.substring(0, text.indexOf("\r\n")), text);
    }

    /** Copies exactly {@code n} bytes; false when the source ended first. */
    static boolean copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) return false;
            out.write(buf, 0, r);
            n -= r;
        }
        return true;
    }

    /** Copies a chunked body verbatim (size lines, data, trailers). */
    static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String line = readLine(in, out);
            int semi = line.indexOf(';');
            long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!readLine(in, out).isEmpty()) {
                    // trailers
                }
                return;
            }
            if (!copy(in, out, size + 2)) throw new IOException("connection closed inside a chunk");
        }
    }

    /** Copies a body framed by {@code head} (Content-Length or chunked; none when neither). */
    static void copyBody(Head head, InputStream in, OutputStream out) throws IOException {
        if (head.chunked()) {
            copyChunked(in, out);
        } else if (head.contentLength() > 0 && !copy(in, out, head.contentLength())) {
            throw new IOException("connection closed inside a body");
        }
    }

    private static String readLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed inside a chunked body");
            out.write(b);
            if (prev == '\r' && b == '\n') return sb.substring(0, sb.length() - 1);
            sb.append((char) b);
            prev = b;
        }
    }
}
