package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.ChunkPipe;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * {@code --spool --jobs N}: the decoded archive goes to a spool file as it arrives, and the data
 * section is loaded by N pg_restore processes at once while it is still arriving. Once the table
 * of contents is in, the pre-data section runs (from a copy of it); then each loader gets the
 * header, the table of contents and only its own tables' data blocks, read back from the spool
 * as they reach the disk ({@link SpoolFollow}), so the biggest table starts loading while it is
 * still being decoded and the others load beside it. Tables are shared out by their row counts
 * in the manifest, the largest first, each to the loader with the fewest rows so far. The caller
 * runs the post-data section after the whole object is proven. Privileges go in after the data
 * ({@link AclPass}).
 */
final class ParallelLoad {
    private ParallelLoad() {}

    static ArchiveContents run(ObjectStore store, Manifest m, Decryptor decryptor, PgBinaries bins, DatabaseUrl target,
                               List<String> options, int jobs, Path spoolFile, Path tocFile) throws IOException, InterruptedException {
        List<PgChild> children = new CopyOnWriteArrayList<>();
        UseLists lists = new UseLists(tocFile.getParent());
        try (SpoolFollow spool = new SpoolFollow(spoolFile)) {
            CompletableFuture<Void> loading = CompletableFuture.runAsync(() -> {
                try {
                    load(spool, m, bins, target, options, jobs, tocFile, children, lists);
                } catch (IOException e) {
                    spool.fail(e);
                    throw new UncheckedIOException(e);
                } catch (RuntimeException e) {
                    spool.fail(new IOException(e.getMessage(), e));
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    spool.fail(new java.io.InterruptedIOException("interrupted"));
                    throw new UncheckedIOException(new IOException("interrupted", e));
                }
            }, r -> {
                Thread t = new Thread(r, "lifeboat-parallel-load");
                t.setDaemon(true);
                t.start();
            });
            try {
                ArchiveContents contents = BackupStream.run(store, m.dump(), decryptor, plain -> spoolAndRead(plain, spool));
                join(loading);
                return contents;
            } catch (IOException | RuntimeException | InterruptedException e) {
                spool.fail(new IOException("the restore stopped: " + e.getMessage()));
                children.forEach(PgChild::close);
                throw e;
            }
        } finally {
            lists.deleteAll();
        }
    }

    /** Writes the stream to the spool while the archive reader reads a tee of it and says where the blocks are. */
    private static ArchiveContents spoolAndRead(InputStream plain, SpoolFollow spool) throws IOException, InterruptedException {
        ChunkPipe toReader = new ChunkPipe(8);
        CompletableFuture<ArchiveContents> reader = ArchiveReader.readInBackground(toReader.source(), spool.listener());
        reader.whenComplete((c, e) -> spool.readerDone());
        try (OutputStream tee = toReader.sink()) {
            byte[] buf = new byte[ChunkPipe.CHUNK];
            int n;
            while ((n = ArchiveRestore.read(plain, buf)) >= 0) {
                if (n == 0) continue;
                spool.write(buf, 0, n);
                tee.write(buf, 0, n);
            }
        } catch (ArchiveRestore.SourceFailure e) {
            throw e.getCause();
        }
        spool.finishWriting();
        try {
            return reader.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw LifeboatException.failed("the archive is damaged: " + cause.getMessage(), cause);
        }
    }

    /** Pre-data, then the loaders, each fed by a thread of its own; returns when all have finished. */
    private static void load(SpoolFollow spool, Manifest m, PgBinaries bins, DatabaseUrl target, List<String> options, int jobs,
                             Path tocFile, List<PgChild> children, UseLists lists) throws IOException, InterruptedException {
        List<TocEntry> toc = spool.awaitToc();
        if (toc == null) return; // the stream ended before its table of contents: the reader says why
        spool.copyToc(tocFile);
        Path preList = lists.create(AclPass.withoutPrivileges(toc));
        List<String> pre = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                "--section=pre-data", "--use-list=" + preList));
        pre.addAll(options);
        pre.add(tocFile.toString());
        runToEnd(bins, target, pre, children);
        List<Set<Integer>> shares = share(toc, m.tables(), jobs);
        List<CompletableFuture<Void>> feeds = new ArrayList<>();
        List<PgChild> loaders = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            Set<Integer> mine = shares.get(i);
            StringBuilder sb = new StringBuilder();
            for (TocEntry e : toc) {
                boolean data = e.isTableData() || e.isLargeObjects();
                if (data ? mine.contains(e.dumpId()) : i == 0) sb.append(e.dumpId()).append(";\n");
            }
            Path list = lists.create(sb.toString());
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                    "--section=data", "--use-list=" + list));
            args.addAll(options);
            PgChild loader = PgChild.start(bins.pgRestore(), args, RestoreSession.env(target));
            children.add(loader);
            loaders.add(loader);
            feeds.add(CompletableFuture.runAsync(() -> {
                try (OutputStream in = loader.stdin()) {
                    spool.follow(mine, in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "lifeboat-load-feed");
                t.setDaemon(true);
                t.start();
            }));
        }
        for (int i = 0; i < loaders.size(); i++) {
            try {
                join(feeds.get(i));
            } catch (IOException e) {
                if (loaders.get(i).waitFor() != 0) throw LifeboatException.failed("pg_restore failed: " + loaders.get(i).errorText(), e);
                throw e;
            }
            loaders.get(i).requireSuccess();
            loaders.get(i).close();
        }
        String acls = AclPass.privileges(toc);
        if (!acls.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                    "--use-list=" + lists.create(acls)));
            args.addAll(options);
            args.add(tocFile.toString());
            runToEnd(bins, target, args, children);
        }
    }

    /** Runs a pg_restore that reads its archive from a file; it must succeed. */
    private static void runToEnd(PgBinaries bins, DatabaseUrl target, List<String> args, List<PgChild> children)
            throws IOException, InterruptedException {
        try (PgChild child = PgChild.start(bins.pgRestore(), args, RestoreSession.env(target))) {
            children.add(child);
            child.stdin().close();
            child.requireSuccess();
        }
    }


    /**
     * The data entries shared out over {@code jobs} loaders by rows, largest first; large objects,
     * and the data of tables the archive does not create (extensions' configuration tables, see
     * {@link SplitLoad#shared}), go to the first.
     */
    static List<Set<Integer>> share(List<TocEntry> toc, List<Manifest.TableEntry> tables, int jobs) {
        Map<String, Long> rows = new HashMap<>();
        for (Manifest.TableEntry t : tables) rows.put(t.schema() + "\u0000" + t.name(), t.rows());
        Set<Integer> spread = SplitLoad.shared(toc);
        List<TocEntry> data = new ArrayList<>(toc.stream().filter(e -> spread.contains(e.dumpId())).toList());
        data.sort((a, b) -> Long.compare(rowsOf(rows, b), rowsOf(rows, a)));
        int n = Math.max(1, Math.min(jobs, data.size()));
        List<Set<Integer>> shares = new ArrayList<>();
        long[] load = new long[n];
        for (int i = 0; i < n; i++) shares.add(new HashSet<>());
        for (TocEntry e : data) {
            int least = 0;
            for (int i = 1; i < n; i++) if (load[i] < load[least]) least = i;
            shares.get(least).add(e.dumpId());
            load[least] += Math.max(1, rowsOf(rows, e));
        }
        toc.stream().filter(e -> e.isLargeObjects() || e.isTableData() && !spread.contains(e.dumpId()))
                .forEach(e -> shares.get(0).add(e.dumpId()));
        return shares;
    }

    private static long rowsOf(Map<String, Long> rows, TocEntry e) {
        return rows.getOrDefault(e.namespace() + "\u0000" + e.tag(), 0L);
    }

    private static void join(CompletableFuture<Void> f) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) throw u.getCause();
            if (c instanceof LifeboatException le) throw le;
            if (c instanceof RuntimeException re) throw re;
            throw new IOException(c);
        }
    }
}
