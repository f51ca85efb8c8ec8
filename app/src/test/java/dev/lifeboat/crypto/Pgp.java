package dev.lifeboat.crypto;

import dev.lifeboat.config.Env;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Small helpers shared by the OpenPGP tests. */
final class Pgp {
    private Pgp() {
    }

    static Env env(Map<String, String> base, String... keyValues) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return Env.of(m);
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] encrypt(EncryptionConfig config, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = config.encrypt(out, "backup.dump.gz")) {
            // odd-sized writes, to cross the 1 MiB packet buffers unevenly
            for (int off = 0; off < plain.length; ) {
                int n = Math.min(plain.length - off, 77_777);
                enc.write(plain, off, n);
                off += n;
            }
        }
        return out.toByteArray();
    }

    static byte[] decrypt(DecryptionConfig config, byte[] message) throws IOException {
        try (DecryptingStream in = config.decrypt(new ByteArrayInputStream(message))) {
            return in.readAllBytes();
        }
    }

    /** Counts what was read from it, so a test can tell how much of a message was consumed. */
    static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(byte[] data) {
            this.in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
