package dev.lifeboat.crypto;

import com.sun.jna.Memory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * AES in CFB mode with a zero IV (what an integrity-protected OpenPGP packet, SEIPD v1, is
 * encrypted with: Bouncy Castle's {@code AES/CFB/NoPadding}), byte for byte, from OpenSSL's CBC.
 *
 * <p>CFB encrypts block i as C[i] = P[i] XOR E(C[i-1]), with C[-1] the IV. CBC computes
 * Y[i] = E(X[i] XOR Y[i-1]). Fed X[0] = the IV (with a zero CBC IV) and then X[i] = P[i-1],
 * CBC gives Y[0] = E(IV) and Y[i] = E(P[i-1] XOR Y[i-1]) = E(C[i-1]): the CFB keystream, since
 * P[i-1] XOR Y[i-1] is C[i-1]. So every run of plaintext goes to OpenSSL shifted by one block
 * (the last block of the previous run first), and the ciphertext is the plaintext XOR what
 * comes back. A write that ends inside a block keeps that block's keystream for the next one,
 * and the block's plaintext, which feeds the chain once it is complete.
 *
 * <p>{@link #close()} closes {@code out} and frees the cipher (OpenSSL wipes its key); every
 * byte written has been encrypted and handed on by then (CFB needs no padding).
 */
final class CfbEncryptingStream extends OutputStream {
    /** Bytes per call into OpenSSL: large enough that a call costs nothing, small for memory. */
    static final int RUN = 256 * 1024;
    private static final int BLOCK = 16;

    private final OutputStream out;
    private final OpenSslAes.Cbc cbc;
    private final Memory chainIn = new Memory(RUN);
    private final Memory chainOut = new Memory(RUN);
    private final byte[] keystream = new byte[RUN];
    private final byte[] cipher = new byte[RUN];
    /** The plaintext block that feeds the chain next: the IV (zero) at first, then the last complete block. */
    private final byte[] previous = new byte[BLOCK];
    /** A block that a write ended inside: its keystream, and its plaintext so far. */
    private final byte[] openKeystream = new byte[BLOCK];
    private final byte[] openPlain = new byte[BLOCK];
    private int open;
    private boolean closed;

    CfbEncryptingStream(OutputStream out, OpenSslAes aes, byte[] key) {
        this.out = out;
        this.cbc = aes.cbc(key);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (open > 0 && len > 0) {
            int n = Math.min(len, BLOCK - open);
            for (int i = 0; i < n; i++) {
                byte p = b[off + i];
                cipher[i] = (byte) (p ^ openKeystream[open + i]);
                openPlain[open + i] = p;
            }
            out.write(cipher, 0, n);
            open += n;
            off += n;
            len -= n;
            if (open == BLOCK) {
                System.arraycopy(openPlain, 0, previous, 0, BLOCK);
                open = 0;
            }
        }
        while (len > 0) {
            int take = Math.min(len, RUN); // RUN is whole blocks: only the last run may end inside one
            int blocks = (take + BLOCK - 1) / BLOCK;
            chainIn.write(0, previous, 0, BLOCK);
            if (blocks > 1) chainIn.write(BLOCK, b, off, (blocks - 1) * BLOCK);
            cbc.encrypt(chainIn, chainOut, blocks * BLOCK);
            chainOut.read(0, keystream, 0, blocks * BLOCK);
            for (int i = 0; i < take; i++) cipher[i] = (byte) (b[off + i] ^ keystream[i]);
            out.write(cipher, 0, take);
            int whole = take / BLOCK * BLOCK;
            if (whole == take) {
                System.arraycopy(b, off + take - BLOCK, previous, 0, BLOCK);
            } else {
                System.arraycopy(keystream, whole, openKeystream, 0, BLOCK);
                System.arraycopy(b, off + whole, openPlain, 0, take - whole);
                open = take - whole;
            }
            off += take;
            len -= take;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } finally {
            cbc.close();
            chainIn.clear();
            chainOut.clear();
            chainIn.close();
            chainOut.close();
            Arrays.fill(keystream, (byte) 0);
            Arrays.fill(openKeystream, (byte) 0);
        }
    }
}
