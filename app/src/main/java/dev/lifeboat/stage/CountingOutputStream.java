package dev.lifeboat.stage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/** An observer stage: passes bytes through and counts them (readable from another thread). */
public final class CountingOutputStream extends FilterOutputStream {
    private final AtomicLong count = new AtomicLong();

    public CountingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count.addAndGet(len);
    }

    public long count() {
        return count.get();
    }
}
