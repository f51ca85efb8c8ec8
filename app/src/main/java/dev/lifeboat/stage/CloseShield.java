package dev.lifeboat.stage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes writes through and turns close() into flush(), so that a stage chain can finish without closing its sink. */
final class CloseShield extends FilterOutputStream {
    CloseShield(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
