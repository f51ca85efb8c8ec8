package dev.lifeboat.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads a pg_dump custom-format archive as a stream, to its very end: the header, the table of
 * contents, and every data block. A dump cut short still has a clean table of contents (pg_dump
 * writes it first), so only reading every block finds the cut. For uncompressed archives
 * ({@code -Z0}, as lifeboat takes them) it counts each table's COPY rows.
 */
public final class ArchiveReader {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    private static final int K_VERS_1_14 = version(1, 14);
    private static final int K_VERS_1_15 = version(1, 15);
    private static final int K_VERS_1_16 = version(1, 16);

    private ArchiveReader() {}

    private static int version(int major, int minor) {
        return (major << 16) | (minor << 8);
    }

    /**
     * Reads {@code source} to its end on a thread of its own (a tee of a stream being stored or
     * restored); the future holds the contents, or the failure. {@code source} is closed at the end.
     */
    public static java.util.concurrent.CompletableFuture<ArchiveContents> readInBackground(InputStream source) {
        return readInBackground(source, end -> { });
    }

    /**
     * What a reader tells as it goes (on its own thread): where the table of contents and each data
     * block are and, to a listener that {@link #wantsData() wants} them, the bytes of every data
     * block, in order. An exception thrown by a listener stops the reader and is its failure.
     */
    public interface Listener {
        /** From the header, before the table of contents: the archive's integer size, and whether its data is compressed. */
        default void format(int intSize, boolean compressed) {}

        /** The table of contents was read; it ends (and the data blocks begin) at {@code end}. */
        default void tocRead(List<TocEntry> toc, long end) {}

        /** Whether this listener is given the blocks' contents ({@link #blockBegins}, {@link #data}, ...). */
        default boolean wantsData() {
            return false;
        }

        /** A data block of {@code entry} begins: a table's COPY data, or with {@code largeObjects} a BLOBS block. */
        default void blockBegins(TocEntry entry, boolean largeObjects) {}

        /** In a BLOBS block: the large object {@code oid} begins (its bytes follow as {@link #data}). */
        default void largeObjectBegins(long oid) {}

        /** In a BLOBS block: the large object that began last has ended. */
        default void largeObjectEnds() {}

        /**
         * In a table's uncompressed COPY data: the end marker line ({@code \.}) has just been read;
         * the bytes that follow it in the block (it, and the empty lines pg_dump writes after it)
         * come next as {@link #data}. They are not rows and must stay with the marker.
         */
        default void rowsEnded() {}

        /**
         * The next bytes of the current block's data (a table's COPY text; a large object's bytes; as
         * stored, so compressed if the archive is), in any pieces; valid during the call only.
         */
        default void data(byte[] buf, int off, int len) {}

        /** A data block (its header included) starts at {@code start}. */
        default void blockStart(int dumpId, long start) {}

        /** The data block that started last ends at {@code end} (its terminating chunk included). */
        default void blockEnd(int dumpId, long end) {}

        /** The reader is at {@code position}, after a whole chunk of the block that started last (about every MiB). */
        default void readUpTo(long position) {}
    }

    /** As {@link #readInBackground(InputStream)}; {@code tocEnd} hears where the table of contents ends, once read. */
    public static java.util.concurrent.CompletableFuture<ArchiveContents> readInBackground(InputStream source, LongConsumer tocEnd) {
        return readInBackground(source, new Listener() {
            @Override
            public void tocRead(List<TocEntry> toc, long end) {
                tocEnd.accept(end);
            }
        });
    }

    /** As {@link #readInBackground(InputStream)}, telling {@code listener} where things are as they are read. */
    public static java.util.concurrent.CompletableFuture<ArchiveContents> readInBackground(InputStream source, Listener listener) {
        java.util.concurrent.CompletableFuture<ArchiveContents> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (InputStream in = source) {
                f.complete(read(in, listener));
            } catch (Throwable e) { // an Error too: whoever waits for the future must not wait for ever
                f.completeExceptionally(e);
            }
        }, "lifeboat-archive-reader");
        t.setDaemon(true);
        t.start();
        return f;
    }

    public static ArchiveContents read(InputStream stream) throws IOException {
        return read(stream, new Listener() { });
    }

    /** As {@link #read(InputStream)}, telling {@code listener} what it reads as it goes (on this thread). */
    public static ArchiveContents read(InputStream stream, Listener listener) throws IOException {
        ArchiveInput in = new ArchiveInput(stream);
        byte[] magic = in.readFully(new byte[5], 5);
        if (!"PGDMP".equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new ArchiveException("not a pg_dump custom-format archive (no PGDMP header)");
        }
        int vmaj = in.readByte();
        int vmin = in.readByte();
        int vrev = in.readByte();
        int ver = version(vmaj, vmin) | vrev;
        if (ver < K_VERS_1_14) throw new ArchiveException("archive version " + vmaj + "." + vmin + " is older than lifeboat reads (1.14)");
        in.sizes(in.readByte(), in.readByte());
        int format = in.readByte();
        if (format != 1) throw new ArchiveException("archive format " + format + " is not the custom format");
        boolean compressed = ver >= K_VERS_1_15 ? in.readByte() != 0 : in.readInt() != 0;
        listener.format(in.intSize(), compressed);
        for (int i = 0; i < 7; i++) in.readInt();
        String database = in.readStr();
        String serverVersion = in.readStr();
        String dumpVersion = in.readStr();
        List<TocEntry> toc = readToc(in, ver);
        listener.tocRead(List.copyOf(toc), in.position());
        Map<Integer, TocEntry> byId = new HashMap<>();
        toc.forEach(e -> byId.put(e.dumpId(), e));
        Map<Integer, Long> rows = new LinkedHashMap<>();
        long largeObjects = readBlocks(in, byId, rows, compressed, listener);
        List<TocEntry> missing = new ArrayList<>();
        for (TocEntry e : toc) {
            if (e.hasData() && !rows.containsKey(e.dumpId())) missing.add(e);
        }
        return new ArchiveContents(vmaj + "." + vmin + "." + vrev, database, serverVersion, dumpVersion, compressed,
                List.copyOf(toc), rows, largeObjects, List.copyOf(missing), in.position());
    }

    private static List<TocEntry> readToc(ArchiveInput in, int ver) throws IOException {
        long count = in.readInt();
        if (count < 0 || count > 10_000_000) throw new ArchiveException("implausible table of contents size " + count);
        List<TocEntry> toc = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int dumpId = (int) in.readInt();
            boolean hadDumper = in.readInt() != 0;
            in.readStr();
            in.readStr();
            String tag = in.readStr();
            String desc = in.readStr();
            in.readInt();
            String defn = in.readStr();
            in.readStr();
            in.readStr();
            String namespace = in.readStr();
            in.readStr();
            in.readStr();
            if (ver >= K_VERS_1_16) in.readInt();
            String owner = in.readStr();
            in.readStr();
            while (in.readStr() != null) {
                // dependencies
            }
            in.skipOffset();
            toc.add(new TocEntry(dumpId, hadDumper, desc, namespace, tag, owner,
                    TocEntry.keepsDefinition(desc) ? defn : null));
        }
        return toc;
    }

    /** Reads every data block to the end of the stream; returns the number of large objects. */
    private static long readBlocks(ArchiveInput in, Map<Integer, TocEntry> byId, Map<Integer, Long> rows,
                                   boolean compressed, Listener listener) throws IOException {
        long largeObjects = 0;
        while (true) {
            long start = in.position();
            int type = in.byteOrEof();
            if (type < 0) return largeObjects;
            int dumpId = (int) in.readInt();
            TocEntry entry = byId.get(dumpId);
            if (entry == null) throw new ArchiveException("data block for unknown entry " + dumpId + " at byte " + in.position());
            listener.blockStart(dumpId, start);
            ArchiveInput.Bytes data = listener.wantsData() ? listener::data : null;
            if (type == BLK_DATA) {
                if (data != null) listener.blockBegins(entry, false);
                CopyRowCounter counter = new CopyRowCounter();
                if (data != null) counter.onEnd(listener::rowsEnded);
                readChunks(in, compressed ? null : counter::accept, data, entry, listener);
                rows.put(dumpId, compressed ? -1L : counter.rows());
            } else if (type == BLK_BLOBS) {
                if (data != null) listener.blockBegins(entry, true);
                long n = 0;
                long oid;
                while ((oid = in.readInt()) != 0) {
                    if (data != null) listener.largeObjectBegins(oid);
                    readChunks(in, null, data, entry, listener);
                    if (data != null) listener.largeObjectEnds();
                    n++;
                }
                rows.put(dumpId, n);
                largeObjects += n;
            } else {
                throw new ArchiveException("unknown block type " + type + " at byte " + in.position());
            }
            listener.blockEnd(dumpId, in.position());
        }
    }

    private static void readChunks(ArchiveInput in, ArchiveInput.Bytes counter, ArchiveInput.Bytes data, TocEntry entry,
                                   Listener listener) throws IOException {
        try {
            long len;
            long told = in.position();
            while ((len = in.readInt()) != 0) {
                if (len < 0) throw new ArchiveException("negative chunk length in the data of " + describe(entry));
                in.scan(len, counter, data);
                if (in.position() - told >= 1 << 20) {
                    told = in.position();
                    listener.readUpTo(told);
                }
            }
        } catch (EOFException e) {
            throw new ArchiveException("archive is truncated: it ends inside the data of " + describe(entry)
                    + " (byte " + in.position() + ")");
        }
    }

    static String describe(TocEntry e) {
        return (e.namespace() == null ? "" : e.namespace() + ".") + e.tag();
    }
}
