package dev.lifeboat.stage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** An observer stage on the read side: passes bytes through, counts and hashes them. */
public final class Sha256InputProbe extends FilterInputStream {
    private final MessageDigest digest = Sha256Probe.newDigest();
    private long count;
    private String hex;

    public Sha256InputProbe(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    /** Reads and hashes whatever is left, so the digest covers the whole object. */
    public void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing as we go
        }
    }

    public long count() {
        return count;
    }

    public synchronized String hex() {
        if (hex == null) hex = HexFormat.of().formatHex(digest.digest());
        return hex;
    }
}
