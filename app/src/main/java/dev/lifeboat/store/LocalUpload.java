package dev.lifeboat.store;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * An object being written to a local directory: a hidden temporary file beside the target,
 * made visible at commit by a hard link (which never replaces an existing file), after an fsync
 * of the file and before an fsync of the directory.
 */
final class LocalUpload implements PendingObject {
    private final String key;
    private final Path target;
    private final Path temp;
    private final Map<String, String> metadata;
    private final LocalMetadata meta;
    private final FileChannel channel;
    private final OutputStream stream;
    private long written;
    private boolean finished;

    LocalUpload(String key, Path target, Path temp, Map<String, String> metadata, LocalMetadata meta) throws IOException {
        this.key = key;
        this.target = target;
        this.temp = temp;
        this.metadata = Map.copyOf(metadata);
        this.meta = meta;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.stream = new BufferedOutputStream(new Guard(Channels.newOutputStream(channel)), 1 << 16);
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public synchronized ObjectInfo commit() throws IOException {
        if (finished) throw new IOException(key + ": already committed or aborted");
        try {
            stream.flush();
            channel.force(true);
            channel.close();
            meta.writeXattrs(temp, metadata);
            publish();
            meta.writeSidecar(target, metadata);
            LocalStore.fsyncDirectory(target.getParent());
        } catch (IOException e) {
            abort();
            throw LocalStore.translate(target.getParent(), key, e);
        }
        finished = true;
        return new ObjectInfo(key, written, Files.getLastModifiedTime(target).toInstant(), null, metadata);
    }

    /** Links the temp file under its key, refusing to replace an existing object. */
    private void publish() throws IOException {
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(key, null, "already exists; objects are never overwritten");
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here (some network and FUSE file systems): check, then rename.
            if (Files.exists(target)) throw new FileAlreadyExistsException(key, null, "already exists; objects are never overwritten");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Files.delete(temp);
    }

    @Override
    public synchronized void abort() {
        if (finished) return;
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // the temporary file goes anyway
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // left as an unfinished upload, which unfinished()/abort() can remove later
        }
    }

    /** Counts bytes, refuses writes after commit/abort, and turns "disk full" into a clear message (and aborts). */
    private final class Guard extends FilterOutputStream {
        Guard(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (finished) throw new IOException(key + ": already committed or aborted");
            try {
                out.write(b, off, len);
                written += len;
            } catch (IOException e) {
                abort();
                throw LocalStore.translate(target.getParent(), key, e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void close() throws IOException {
            flush(); // closing the stream does not commit
        }
    }
}
