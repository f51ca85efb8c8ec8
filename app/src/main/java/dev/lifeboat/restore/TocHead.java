package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The archive's header and table of contents, the first {@code end} bytes of the copy being
 * taken of the stream ({@link TocCopy}): what every pg_restore of a split restore is given first.
 */
final class TocHead {
    private final Path file;
    private final long end;

    TocHead(Path file, long end) {
        this.file = file;
        this.end = end;
    }

    /** Writing to a pg_restore failed: it has stopped reading (its exit status says why). */
    static final class PgRestoreGone extends IOException {
        PgRestoreGone(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Writes the header and table of contents to {@code out}: a write that fails is
     * {@link PgRestoreGone}; a read that fails is lifeboat's own failure, said as such.
     */
    void writeTo(OutputStream out) throws PgRestoreGone {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 << 10, Math.max(1, end)));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            while (at < end) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), end - at));
                int n = in.read(buf, at);
                if (n < 0) throw new IOException("it ends at byte " + at + ", before the table of contents does");
                try {
                    out.write(buf.array(), 0, n);
                } catch (IOException e) {
                    throw new PgRestoreGone(e);
                }
                at += n;
            }
        } catch (PgRestoreGone e) {
            throw e;
        } catch (IOException e) {
            throw LifeboatException.failed("cannot read the copy of the table of contents " + file + ": " + e.getMessage(), e);
        }
    }
}
