package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The heart of {@link SplitLoad}: shares the archive out as the reader reads it (on the reader's
 * thread), and starts the pre-data run, the loaders ({@link LoaderStream}) and the privileges run.
 * Every loader's stream is a valid archive: the same header and table of contents, then data
 * blocks in the same order, each with its chunks re-framed (any framing is valid: pg_restore passes COPY data on as it
 * comes, and writes a large object's bytes as they come).
 */
final class LoadDistributor implements ArchiveReader.Listener {
    private static final int BLK_DATA = 1;
    private static final int BLK_BLOBS = 3;
    /** Chunks waiting for each loader. */
    private static final int QUEUE = 4;
    /** The memory all loaders' buffers may take together. */
    private static final int MEMORY = 32 << 20;

    private final SplitLoad.Launcher launcher;
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
    private TocHead head;
    private Set<Integer> shared = Set.of();
    private volatile LoaderStream[] loaders = new LoaderStream[0];
    private int batch;
    /** The block being read shares its rows out over the loaders. */
    private boolean sharing;
    /** The block's COPY end marker has been read: what follows stays with the loader that has it. */
    private boolean ended;
    /** The loader whose chunk is open (the first loader for a block that is not shared). */
    private LoaderStream current;
    private int lastChosen;

    LoadDistributor(SplitLoad.Launcher launcher, String database, List<String> options, int jobs, TocCopy toc, UseLists lists, int batch) {
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
        head = new TocHead(toc.file(), end);
        this.entries = entries;
        try {
            preData();
            shared = compressed ? Set.of() : SplitLoad.shared(entries);
            int n = shared.isEmpty() ? 1 : jobs;
            if (n > 1) {
                list = useListFile(SplitLoad.useList(shared));
            }
            int buffer = Math.max(64 << 10, Math.min(1 << 20, MEMORY / (n * (QUEUE + 2))));
            batch = batchSetting > 0 ? batchSetting : buffer / 4;
            ChunkPipe.Pool pool = new ChunkPipe.Pool(n * (QUEUE + 2));
            LoaderStream[] started = new LoaderStream[n];
            for (int i = 0; i < n; i++) {
                started[i] = new LoaderStream(start(SplitLoad.loaderArgs(database, options, i, list)), new ChunkPipe(QUEUE, pool), buffer, intSize, head);
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
            head.writeTo(in);
        } catch (IOException e) {
            // pg_restore stopped reading (writing or closing its stdin failed): its exit status says why
        }
        pre.requireSuccess();
    }

    private synchronized PgChild start(List<String> args) {
        if (aborted) throw LifeboatException.failed("the restore stopped");
        PgChild child = launcher.start(args);
        children.add(child);
        return child;
    }

    @Override
    public void blockBegins(TocEntry entry, boolean largeObjects) {
        sharing = !largeObjects && loaders.length > 1 && shared.contains(entry.dumpId());
        ended = false;
        if (sharing) {
            for (LoaderStream l : loaders) {
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
            for (LoaderStream l : loaders) {
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
    private LoaderStream leastBusy() {
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
        for (LoaderStream l : loaders) {
            l.push();
            l.pipe.end();
        }
        for (LoaderStream l : loaders) {
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
        for (LoaderStream l : loaders) {
            try {
                l.pipe.end(); // a feeder waiting for more ends; one writing finds its pg_restore gone
            } catch (IOException e) {
                // interrupted: the feeder is a daemon thread, and its pg_restore is gone
            }
        }
    }
}
