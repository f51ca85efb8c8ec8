package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The streamed restore with {@code --jobs N} (N &gt; 1, the default): the data section is loaded by N
 * pg_restore at once while the archive arrives, each fed an archive of its own, so that the rows
 * of one big table load on N connections (on N cores of the server) instead of one. Each loader
 * gets the header and table of contents and every table's data block, carrying a share of the
 * table's rows: the COPY text is cut into batches of whole lines, and each batch goes to the
 * loader with the fewest batches waiting. Large objects, sequence values and the rest of the data
 * section go to the first loader only; the others restore the tables' data and nothing else
 * ({@code --use-list}). Rows carry no order, so the shares make the same table; the row counts
 * checked after the restore prove that every row arrived once.
 *
 * <p>The archive is read once, on the {@link ArchiveReader}'s thread, which also counts the rows
 * and proves every block present, and shares them out as it goes ({@link Distributor}). The
 * pre-data section runs first, from the table of contents as soon as it has been read; the caller
 * runs the post-data section after the whole object is proven. An archive whose data is
 * compressed inside (not one lifeboat takes) goes whole to one loader.
 */
final class SplitLoad {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    /** Chunks waiting for each loader. */
    private static final int QUEUE = 4;
    /** The memory all loaders' buffers may take together. */
    private static final int MEMORY = 32 << 20;

    private SplitLoad() {}

    /** Starts a pg_restore with these arguments (a test starts something else that reads the same stream). */
    @FunctionalInterface
    interface Launcher {
        PgChild start(List<String> args);
    }

    /** Restores the pre-data and data sections of {@code archive} into {@code target}; returns what it held. */
    static ArchiveContents run(PgBinaries bins, DatabaseUrl target, InputStream archive, List<String> options, int jobs,
                               TocCopy toc, Path listDir) throws IOException, InterruptedException {
        Map<String, String> env = RestoreSession.env(target);
        return run(args -> PgChild.start(bins.pgRestore(), args, env), target.database(), archive, options, jobs, toc, listDir, 0);
    }

    /** As above, each pg_restore started by {@code launcher}; {@code batch} &gt; 0 sets the batch size in bytes. */
    static ArchiveContents run(Launcher launcher, String database, InputStream archive, List<String> options, int jobs,
                               TocCopy toc, Path listDir, int batch) throws IOException, InterruptedException {
        UseLists lists = new UseLists(listDir);
        try {
            return run(launcher, database, archive, options, jobs, toc, lists, batch);
        } finally {
            lists.deleteAll();
        }
    }

    private static ArchiveContents run(Launcher launcher, String database, InputStream archive, List<String> options, int jobs,
                                       TocCopy toc, UseLists lists, int batch) throws IOException, InterruptedException {
        Distributor d = new Distributor(launcher, database, options, jobs, toc, lists, batch);
        ChunkPipe toReader = new ChunkPipe(8);
        CompletableFuture<ArchiveContents> reader = ArchiveReader.readInBackground(toReader.source(), d);
        try {
            try (OutputStream tee = toReader.sink()) {
                byte[] buf = new byte[ChunkPipe.CHUNK];
                int n;
                // a reader that has finished before the end of the stream has failed: stop downloading
                while (!reader.isDone() && (n = ArchiveRestore.read(archive, buf)) >= 0) {
                    if (n == 0) continue;
                    toc.write(buf, 0, n);
                    tee.write(buf, 0, n);
                }
            }
            ArchiveContents contents = contents(reader);
            d.finish();
            d.privileges();
            toc.finish();
            return contents;
        } catch (ArchiveRestore.SourceFailure e) {
            d.abort();
            throw e.getCause();
        } catch (IOException | RuntimeException | InterruptedException e) {
            d.abort();
            throw e;
        }
    }

    private static ArchiveContents contents(CompletableFuture<ArchiveContents> reader) throws InterruptedException {
        try {
            return reader.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof LifeboatException le) throw le; // a loader's failure, in its own words
            if (cause instanceof Error err) throw err;
            if (!(cause instanceof IOException)) throw LifeboatException.failed("the restore failed: " + cause, cause);
            throw LifeboatException.failed("the archive is damaged: " + cause.getMessage(), cause);
        }
    }

    /** The pg_restore arguments of loader {@code index}: the first restores the whole data section, the others the tables' data. */
    static List<String> loaderArgs(String database, List<String> options, int index, Path list) {
        List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + database,
                "--section=data"));
        if (index > 0) args.add("--use-list=" + list);
        args.addAll(options);
        return args;
    }

    /**
     * The data entries whose rows are shared out: those of tables that the archive creates. The
     * data of a table it does not create (an extension's configuration table, which may already
     * have foreign keys and triggers when its data arrives, and whose data pg_dump orders by those
     * keys) goes whole to the first loader, in archive order, as one pg_restore would load it.
     */
    static Set<Integer> shared(List<TocEntry> toc) {
        Set<String> created = new HashSet<>();
        for (TocEntry e : toc) if ("TABLE".equals(e.desc())) created.add(e.namespace() + "\u0000" + e.tag());
        Set<Integer> shared = new LinkedHashSet<>();
        for (TocEntry e : toc) {
            if (e.isTableData() && created.contains(e.namespace() + "\u0000" + e.tag())) shared.add(e.dumpId());
        }
        return shared;
    }

    /** The use-list of every loader but the first: the shared entries, in archive order. */
    static String useList(Set<Integer> shared) {
        StringBuilder sb = new StringBuilder();
        for (int id : shared) sb.append(id).append(";\n");
        return sb.toString();
    }

    /**
     * Shares the archive out as the reader reads it (on the reader's thread). Every loader's stream
     * is a valid archive: the same header and table of contents, then data blocks in the same order,
     * each with its chunks re-framed (any framing is valid: pg_restore passes COPY data on as it
     * comes, and writes a large object's bytes as they come).
     */
    static final class Distributor implements ArchiveReader.Listener {
        private final Launcher launcher;
        private final String database;
        private final List<String> options;
        private final int jobs;
        private final int batchSetting;
        private final TocCopy toc;
        private final UseLists lists;
        /** The use-list of every loader but the first. */
        private Path list;
        private List<TocEntry> entries = List.of();
        private final List<PgChild> children = new ArrayList<>();
        private boolean aborted;
        private int intSize = 4;
        private boolean compressed;
        private long tocEnd;
        private Set<Integer> shared = Set.of();
        private volatile Loader[] loaders = new Loader[0];
        private int batch;
        /** The block being read shares its rows out over the loaders. */
        private boolean sharing;
        /** The block's COPY end marker has been read: what follows stays with the loader that has it. */
        private boolean ended;
        /** The loader whose chunk is open (the first loader for a block that is not shared). */
        private Loader current;
        private int lastChosen;

        Distributor(Launcher launcher, String database, List<String> options, int jobs, TocCopy toc, UseLists lists, int batch) {
            this.launcher = launcher;
            this.database = database;
            this.options = options;
            this.jobs = jobs;
            this.toc = toc;
            this.lists = lists;
            this.batchSetting = batch;
        }

        @Override
        public void format(int intSize, boolean compressed) {
            this.intSize = intSize;
            this.compressed = compressed;
        }

        @Override
        public boolean wantsData() {
            return true;
        }

        @Override
        public void tocRead(List<TocEntry> entries, long end) {
            toc.tocEndsAt(end);
            tocEnd = end;
            this.entries = entries;
            try {
                preData();
                shared = compressed ? Set.of() : shared(entries);
                int n = shared.isEmpty() ? 1 : jobs;
                if (n > 1) {
                    list = useListFile(useList(shared));
                }
                int buffer = Math.max(64 << 10, Math.min(1 << 20, MEMORY / (n * (QUEUE + 2))));
                batch = batchSetting > 0 ? batchSetting : buffer / 4;
                ChunkPipe.Pool pool = new ChunkPipe.Pool(n * (QUEUE + 2));
                Loader[] started = new Loader[n];
                for (int i = 0; i < n; i++) {
                    started[i] = new Loader(start(loaderArgs(database, options, i, list)), new ChunkPipe(QUEUE, pool), buffer);
                    loaders = java.util.Arrays.copyOf(started, i + 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LifeboatException.failed("interrupted", e);
            }
        }

        /** The pre-data section but its privileges ({@link AclPass}), from the header and table of contents on pg_restore's stdin. */
        private void preData() throws InterruptedException {
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + database,
                    "--section=pre-data", "--use-list=" + useListFile(AclPass.withoutPrivileges(entries))));
            args.addAll(options);
            runWithHead(args);
        }

        /** After the data: the privileges the pre-data run left out, if the archive has any. */
        void privileges() throws InterruptedException {
            String acls = AclPass.privileges(entries);
            if (acls.isEmpty()) return;
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + database,
                    "--use-list=" + useListFile(acls)));
            args.addAll(options);
            runWithHead(args);
        }

        private Path useListFile(String content) {
            try {
                return lists.create(content);
            } catch (IOException e) {
                throw LifeboatException.failed("cannot write a use-list in BACKUP_SPOOL_DIR: " + e.getMessage(), e);
            }
        }

        /** Runs a pg_restore given the header and table of contents on its stdin; it must succeed. */
        private void runWithHead(List<String> args) throws InterruptedException {
            PgChild pre = start(args);
            try (OutputStream in = pre.stdin()) {
                copyHead(in);
            } catch (IOException e) {
                // pg_restore stopped reading (writing or closing its stdin failed): its exit status says why
            }
            pre.requireSuccess();
        }

        /** Writing to a pg_restore failed: it has stopped reading. */
        private static final class PgRestoreGone extends IOException {
            PgRestoreGone(IOException cause) {
                super(cause.getMessage(), cause);
            }
        }

        private synchronized PgChild start(List<String> args) {
            if (aborted) throw LifeboatException.failed("the restore stopped");
            PgChild child = launcher.start(args);
            children.add(child);
            return child;
        }

        /**
         * Writes the archive's header and table of contents (from the copy being taken) to
         * {@code out}: a write that fails is {@link PgRestoreGone}; a read that fails is lifeboat's
         * own failure, said as such.
         */
        private void copyHead(OutputStream out) throws PgRestoreGone {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 << 10, Math.max(1, tocEnd)));
            try (FileChannel in = FileChannel.open(toc.file(), StandardOpenOption.READ)) {
                long at = 0;
                while (at < tocEnd) {
                    buf.clear();
                    buf.limit((int) Math.min(buf.capacity(), tocEnd - at));
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
                throw LifeboatException.failed("cannot read the copy of the table of contents " + toc.file() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void blockBegins(TocEntry entry, boolean largeObjects) {
            sharing = !largeObjects && loaders.length > 1 && shared.contains(entry.dumpId());
            ended = false;
            if (sharing) {
                for (Loader l : loaders) {
                    l.put(BLK_DATA);
                    l.putInt(entry.dumpId());
                }
                current = null;
            } else {
                current = loaders[0];
                current.put(largeObjects ? BLK_BLOBS : BLK_DATA);
                current.putInt(entry.dumpId());
                if (!largeObjects) current.openChunk();
            }
        }

        @Override
        public void largeObjectBegins(long oid) {
            current.putInt(oid);
            current.openChunk();
        }

        @Override
        public void largeObjectEnds() {
            current.closeChunk();
            current.putInt(0);
        }

        @Override
        public void data(byte[] buf, int off, int len) {
            if (!sharing) {
                current.append(buf, off, len);
                return;
            }
            if (current == null) {
                current = leastBusy();
                current.openChunk();
            }
            current.append(buf, off, len);
            // a raw newline in COPY text always ends a row (newlines in values are escaped); after
            // the end marker come empty lines, which are not rows
            if (!ended && current.chunkLength() >= batch && buf[off + len - 1] == '\n') {
                current.closeChunk();
                current.push();
                current = null;
            }
        }

        @Override
        public void rowsEnded() {
            ended = true;
        }

        @Override
        public void blockEnd(int dumpId, long end) {
            if (sharing) {
                if (current != null) current.closeChunk();
                for (Loader l : loaders) {
                    l.putInt(0);
                    l.push();
                }
            } else {
                current.closeChunk(); // a table's (a BLOBS block closed its last chunk with its last object)
                current.putInt(0);
                current.push();
            }
            current = null;
        }

        /** The loader with the fewest chunks waiting (the next one round on a tie). */
        private Loader leastBusy() {
            int from = lastChosen;
            int best = -1;
            int bestQueued = Integer.MAX_VALUE;
            for (int k = 1; k <= loaders.length; k++) {
                int i = (from + k) % loaders.length;
                int q = loaders[i].pipe.queued();
                if (q < bestQueued) {
                    best = i;
                    bestQueued = q;
                }
            }
            lastChosen = best;
            return loaders[best];
        }

        /** After the reader's successful end: the rest goes out, and every loader must finish well. */
        void finish() throws IOException, InterruptedException {
            for (Loader l : loaders) {
                l.push();
                l.pipe.end();
            }
            for (Loader l : loaders) {
                l.feeder.join();
                if (l.ownFailure != null) throw l.ownFailure;
                l.child.requireSuccess();
                if (l.failure != null) throw l.failed();
            }
        }

        /** Stops every pg_restore started (and any about to be), and the threads that feed them. */
        void abort() {
            synchronized (this) {
                aborted = true;
                children.forEach(PgChild::close);
            }
            for (Loader l : loaders) {
                try {
                    l.pipe.end(); // a feeder waiting for more ends; one writing finds its pg_restore gone
                } catch (IOException e) {
                    // interrupted: the feeder is a daemon thread, and its pg_restore is gone
                }
            }
        }

        /** One loader: a pg_restore, the pipe to it and the thread that feeds it, and the buffer being filled. */
        private final class Loader {
            final PgChild child;
            final ChunkPipe pipe;
            final Thread feeder;
            final int size;
            /** Writing to pg_restore failed: it stopped reading. */
            volatile IOException failure;
            /** lifeboat could not give it its stream. */
            volatile RuntimeException ownFailure;
            private byte[] buf;
            private int len;
            private int chunkStart = -1;

            Loader(PgChild child, ChunkPipe pipe, int size) {
                this.child = child;
                this.pipe = pipe;
                this.size = size;
                this.buf = pipe.pool().get(size);
                this.feeder = new Thread(this::feed, "lifeboat-load-feed");
                feeder.setDaemon(true);
                feeder.start();
            }

            private void feed() {
                try (InputStream closesThePipe = pipe.source(); OutputStream out = child.stdin()) {
                    copyHead(out);
                    pipe.drainTo(out);
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    ownFailure = e;
                }
            }

            private int header() {
                return 1 + intSize;
            }

            void put(int b) {
                room(1);
                buf[len++] = (byte) b;
            }

            void putInt(long v) {
                room(header());
                len = writeInt(buf, len, v);
            }

            private int writeInt(byte[] to, int at, long v) {
                to[at++] = (byte) (v < 0 ? 1 : 0);
                long a = Math.abs(v);
                for (int i = 0; i < intSize; i++) to[at++] = (byte) (a >>> (8 * i));
                return at;
            }

            /** Starts a chunk: its length is written when it is closed. */
            void openChunk() {
                room(header() + 1);
                chunkStart = len;
                len += header();
            }

            int chunkLength() {
                return chunkStart < 0 ? 0 : len - chunkStart - header();
            }

            void closeChunk() {
                if (chunkStart < 0) return;
                int n = len - chunkStart - header();
                if (n == 0) len = chunkStart;
                else writeInt(buf, chunkStart, n);
                chunkStart = -1;
            }

            /** Appends to the open chunk; a full buffer closes it, goes out, and the chunk goes on in the next. */
            void append(byte[] b, int off, int n) {
                while (n > 0) {
                    if (len == buf.length) {
                        closeChunk();
                        push();
                        openChunk();
                    }
                    int k = Math.min(n, buf.length - len);
                    System.arraycopy(b, off, buf, len, k);
                    len += k;
                    off += k;
                    n -= k;
                }
            }

            /** Makes room for {@code n} bytes outside a chunk. */
            private void room(int n) {
                if (buf.length - len < n) push();
            }

            /** Hands the buffer to the pipe (unless empty) and takes a fresh one. */
            void push() {
                if (failure != null || ownFailure != null) throw failed();
                if (len == 0) return;
                try {
                    pipe.put(new ChunkPipe.Chunk(buf, len));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                buf = pipe.pool().get(size);
                len = 0;
            }

            /** This loader's pg_restore stopped taking its stream: its own words. */
            RuntimeException failed() {
                if (ownFailure != null) return ownFailure;
                try {
                    int code = child.waitFor();
                    if (code != 0) return LifeboatException.failed("pg_restore failed (exit " + code + "): " + child.errorText());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return LifeboatException.failed("pg_restore stopped reading its data: " + failure.getMessage(), failure);
            }
        }
    }
}
