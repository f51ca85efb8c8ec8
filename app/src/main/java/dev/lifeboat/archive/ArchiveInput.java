package dev.lifeboat.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The primitive reads of pg_dump's custom format: bytes, sign-and-magnitude ints, length-prefixed strings. */
final class ArchiveInput {
    private final InputStream in;
    private int intSize = 4;
    private int offSize = 8;
    private long position;

    ArchiveInput(InputStream in) {
        this.in = in;
    }

    void sizes(int intSize, int offSize) throws ArchiveException {
        if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
            throw new ArchiveException("implausible integer sizes in header (" + intSize + ", " + offSize + ")");
        }
        this.intSize = intSize;
        this.offSize = offSize;
    }

    long position() {
        return position;
    }

    /** The next byte, or -1 at a clean end of the stream. */
    int byteOrEof() throws IOException {
        int b = in.read();
        if (b >= 0) position++;
        return b;
    }

    int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("archive ends at byte " + position);
        position++;
        return b;
    }

    long readInt() throws IOException {
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
        byte[] b = in.readNBytes((int) len);
        position += b.length;
        if (b.length != len) throw new EOFException("archive ends inside a string at byte " + position);
        return new String(b, StandardCharsets.UTF_8);
    }

    byte[] readFully(byte[] buf, int len) throws IOException {
        int n = in.readNBytes(buf, 0, len);
        position += n;
        if (n != len) throw new EOFException("archive ends inside a data block at byte " + position);
        return buf;
    }

    void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw new EOFException("archive ends at byte " + position);
                s = 1;
            }
            left -= s;
            position += s;
        }
    }
}
