package dev.lifeboat.stage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An observer stage: passes bytes through, counts them and hashes them with SHA-256. */
public final class Sha256Probe extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;
    private String hex;

    public Sha256Probe(OutputStream out) {
        super(out);
        this.digest = newDigest();
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    public long count() {
        return count;
    }

    /** The hex digest of everything written; call after the last write. */
    public synchronized String hex() {
        if (hex == null) hex = HexFormat.of().formatHex(digest.digest());
        return hex;
    }
}
