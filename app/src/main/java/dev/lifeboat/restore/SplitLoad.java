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
import java.nio.file.Path;
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
 * and proves every block present, and shares them out as it goes ({@link LoadDistributor}). The
 * pre-data section runs first, from the table of contents as soon as it has been read; the caller
 * runs the post-data section after the whole object is proven. An archive whose data is
 * compressed inside (not one lifeboat takes) goes whole to one loader.
 */
final class SplitLoad {

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
        LoadDistributor d = new LoadDistributor(launcher, database, options, jobs, toc, lists, batch);
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
}
