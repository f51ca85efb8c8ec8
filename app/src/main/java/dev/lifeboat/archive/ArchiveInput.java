package dev.lifeboat.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The primitive reads of pg_dump's custom format: bytes, sign-and-magnitude ints, length-prefixed
 * strings. Buffered here (not synchronized): pg_dump writes one data chunk, with its own length
 * header, per COPY row, so the reader makes several small reads per row.
 */
final class ArchiveInput {
    private static final int BUFFER = 1 << 16;
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private final InputStream in;
    /** Set when {@code in} is a pipe of chunks: they are parsed where they are, not copied. */
    private final dev.lifeboat.stage.ChunkPipe.Source chunks;
    private byte[] buf;
    private int pos;
    private int limit;
    private int intSize = 4;
    private int offSize = 8;
    private long position;

    ArchiveInput(InputStream in) {
        this.in = in;
        this.chunks = in instanceof dev.lifeboat.stage.ChunkPipe.Source s ? s : null;
        this.buf = chunks == null ? new byte[BUFFER] : new byte[0];
    }

    void sizes(int intSize, int offSize) throws ArchiveException {
        if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
            throw new ArchiveException("implausible integer sizes in header (" + intSize + ", " + offSize + ")");
        }
        this.intSize = intSize;
        this.offSize = offSize;
    }

    int intSize() {
        return intSize;
    }

    int offSize() {
        return offSize;
    }

    long position() {
        return position;
    }

    /** Refills the buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (chunks != null) {
            dev.lifeboat.stage.ChunkPipe.Chunk c = chunks.next();
            if (c == null) return false;
            buf = c.bytes();
            pos = 0;
            limit = c.length();
            return true;
        }
        int n = in.read(buf, 0, BUFFER);
        while (n == 0) n = in.read(buf, 0, BUFFER);
        if (n < 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    /** The next byte, or -1 at a clean end of the stream. */
    int byteOrEof() throws IOException {
        if (pos == limit && !fill()) return -1;
        position++;
        return buf[pos++] & 0xff;
    }

    int readByte() throws IOException {
        if (pos == limit && !fill()) throw new EOFException("archive ends at byte " + position);
        position++;
        return buf[pos++] & 0xff;
    }

    long readInt() throws IOException {
        int p = pos;
        if (limit - p > intSize) { // all of it in the buffer: pg_dump writes one such length before every row
            byte[] b = buf;
            int sign = b[p];
            long v;
            if (intSize == 4) {
                v = (int) INTS.get(b, p + 1) & 0xffffffffL;
            } else {
                v = 0;
                for (int i = 0; i < intSize; i++) v |= ((long) (b[p + 1 + i] & 0xff)) << (8 * i);
            }
            pos = p + 1 + intSize;
            position += 1 + intSize;
            return sign != 0 ? -v : v;
        }
        int sign = readByte();
        long v = 0;
        for (int i = 0; i < intSize; i++) v |= ((long) readByte()) << (8 * i);
        return sign != 0 ? -v : v;
    }

    void skipOffset() throws IOException {
        readByte();
        skip(offSize);
    }

    String readStr() throws IOException {
        long len = readInt();
        if (len < 0) return null;
        if (len > 1 << 30) throw new ArchiveException("implausible string length " + len + " at byte " + position);
        byte[] b = new byte[(int) len];
        readFully(b, b.length);
        return new String(b, StandardCharsets.UTF_8);
    }

    byte[] readFully(byte[] out, int len) throws IOException {
        int done = 0;
        while (done < len) {
            if (pos == limit && !fill()) throw new EOFException("archive ends inside a data block at byte " + position);
            int n = Math.min(len - done, limit - pos);
            System.arraycopy(buf, pos, out, done, n);
            pos += n;
            done += n;
            position += n;
        }
        return out;
    }

    /** Who is shown the bytes of a data chunk, where they are (valid during the call only). */
    @FunctionalInterface
    interface Bytes {
        void accept(byte[] buf, int off, int len) throws IOException;
    }

    /** Passes the next {@code len} bytes to {@code a} and {@code b} (each when not null) without copying them. */
    void scan(long len, Bytes a, Bytes b) throws IOException {
        long left = len;
        while (left > 0) {
            if (pos == limit && !fill()) throw new EOFException("archive ends inside a data block at byte " + position);
            int n = (int) Math.min(left, limit - pos);
            if (a != null) a.accept(buf, pos, n);
            if (b != null) b.accept(buf, pos, n);
            pos += n;
            left -= n;
            position += n;
        }
    }

    void skip(long n) throws IOException {
        scan(n, null, null);
    }
}
