package dev.lifeboat.store;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** An output stream that keeps what it was given and the size of every write, for tests of how bodies are written. */
final class RecordingOutputStream extends OutputStream {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();

    @Override
    public void write(int b) {
        writes.add(1);
        received.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        writes.add(len);
        received.write(b, off, len);
    }
}
