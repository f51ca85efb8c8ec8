package dev.lifeboat.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An observer stage on pg_dump's output: reads the custom archive's header ({@code PGDMP},
 * then the format version's major, minor and revision bytes).
 */
final class ArchiveSniffer extends FilterOutputStream {
    private final byte[] head = new byte[8];
    private int have;

    ArchiveSniffer(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (have < head.length) {
            int n = Math.min(len, head.length - have);
            System.arraycopy(b, off, head, have, n);
            have += n;
        }
        out.write(b, off, len);
    }

    boolean isCustomArchive() {
        return have == head.length && new String(head, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("PGDMP");
    }

    /** The archive format version, e.g. "1.14.0". */
    String version() {
        return isCustomArchive() ? (head[5] & 0xff) + "." + (head[6] & 0xff) + "." + (head[7] & 0xff) : "unknown";
    }
}
