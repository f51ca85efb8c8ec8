package dev.lifeboat.mirror;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** An open read of a live object: the ETag and size of what is actually being read, and its bytes. */
public record LiveDownload(String etag, long size, InputStream stream) implements Closeable {
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
