package dev.lifeboat.stage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/** An observer stage on the read side: counts the bytes read (readable from another thread, e.g. progress). */
public final class CountingInputStream extends FilterInputStream {
    private final AtomicLong count = new AtomicLong();

    public CountingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) count.incrementAndGet();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) count.addAndGet(n);
        return n;
    }

    /** Skipped bytes count too (the archive reader skips TOC offsets). */
    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) count.addAndGet(s);
        return s;
    }

    public long count() {
        return count.get();
    }
}
