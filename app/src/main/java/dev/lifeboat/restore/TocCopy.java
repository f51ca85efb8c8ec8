package dev.lifeboat.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy of an archive's header and table of contents, taken from the stream as it goes to
 * pg_restore, for the second pg_restore that runs the post-data section (indexes, constraints,
 * triggers, rules): that section needs the table of contents only, never the data. Bytes are
 * written until {@link dev.lifeboat.archive.ArchiveReader} (reading a tee of the same stream, a
 * few chunks behind) has said where the table of contents ends; {@link #finish} cuts the file
 * there. So the file never holds more than the table of contents and those few chunks.
 */
final class TocCopy implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private volatile long tocEnd = -1;
    private long written;
    private boolean done;

    TocCopy(Path file) throws IOException {
        this.file = file;
        this.out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    Path file() {
        return file;
    }

    /** Called by the archive reader's thread. */
    void tocEndsAt(long position) {
        tocEnd = position;
    }

    /** The next bytes of the stream. */
    void write(byte[] buf, int off, int len) throws IOException {
        if (done) return;
        long end = tocEnd;
        if (end >= 0 && written >= end) {
            out.close();
            done = true;
            return;
        }
        out.write(buf, off, len);
        written += len;
    }

    /** After the whole stream: the file holds exactly the header and table of contents. */
    void finish() throws IOException {
        if (!done) out.close();
        done = true;
        long end = tocEnd;
        if (end < 0 || written < end) throw new IOException("the archive's table of contents was not read whole");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(end);
        }
    }

    @Override
    public void close() throws IOException {
        if (!done) out.close();
        done = true;
    }
}
