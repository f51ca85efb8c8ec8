package dev.lifeboat.restore;

import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.ArchiveReader;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.harness.PgCluster;
import dev.lifeboat.harness.Scratch;
import dev.lifeboat.pg.PgChild;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streams {@link SplitLoad} gives its loaders, read back: the archive (a real pg_dump of rows
 * with escapes, a row longer than a loader's buffer, an empty table, large objects) arrives one
 * byte per read, so every boundary falls everywhere, and each row is its own batch; the loaders
 * are {@code cat}. The pre-data run leaves the privileges out, and a last run restores only them.
 * Every loader's stream is a valid archive; together they hold exactly the
 * source's rows (as multisets of COPY lines), the large objects once, in the first loader, and the
 * empty lines pg_dump writes after a table's end marker stay with the marker (a loader given them
 * alone would read them as rows).
 */
class SplitLoadFramingTest {
    static final String DB = "split_framing";
    static PgCluster pg;
    static byte[] archive;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        pg = PgCluster.shared();
        pg.dropDatabase(DB);
        pg.createDatabase(DB);
        pg.execute(DB, """
                CREATE TABLE rows_ (id int, label text);
                INSERT INTO rows_ SELECT g, 'r' || g || E'\\t\\\\x\\ny' FROM generate_series(1, 300) g;
                CREATE TABLE long_one (id int, body text);
                INSERT INTO long_one VALUES (1, repeat('z', 200000)), (2, 'after');
                CREATE TABLE empty_one (id int);
                SELECT lo_from_bytea(0, decode(repeat('cd', 100000), 'hex'));
                REVOKE ALL ON rows_ FROM PUBLIC;
                GRANT SELECT ON rows_ TO PUBLIC;
                """);
        ProcessBuilder pb = new ProcessBuilder(pg.binDir().resolve("pg_dump").toString(), "-Fc", "-Z0",
                "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", "postgres", DB);
        pb.environment().put("PGPASSWORD", pg.password());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        archive = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        dir = Scratch.dir("lifeboat-split-framing-");
    }

    @AfterAll
    static void tearDown() throws Exception {
        pg.dropDatabase(DB);
        PgCluster.deleteTree(dir);
    }

    @Test
    void everyLoaderGetsAValidArchiveAndTogetherTheyHoldExactlyTheRows() throws Exception {
        ArchiveContents source = ArchiveReader.read(new ByteArrayInputStream(archive));
        Map<Integer, List<String>> sourceLines = lines(archive);
        List<List<String>> argv = new CopyOnWriteArrayList<>();
        List<Path> outputs = new CopyOnWriteArrayList<>();
        List<String> useLists = new CopyOnWriteArrayList<>();
        SplitLoad.Launcher cat = args -> {
            Path out = dir.resolve("stream-" + argv.size());
            argv.add(args);
            outputs.add(out);
            String list = args.stream().filter(a -> a.startsWith("--use-list=")).findFirst().orElse(null);
            try {
                useLists.add(list == null ? "" : Files.readString(Path.of(list.substring("--use-list=".length()))));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return PgChild.start(Path.of("/bin/sh"), List.of("-c", "cat > '" + out + "'"), Map.of());
        };
        Path tocFile = Files.createTempFile(dir, "toc-", ".dump");
        ArchiveContents read;
        try (TocCopy toc = new TocCopy(tocFile)) {
            read = SplitLoad.run(cat, DB, new OneByteAtATime(archive), List.of("--no-owner"), 3, toc, dir, 1);
        }
        assertEquals(source.rows(), read.rows(), "the reader counted as a plain read does");
        assertEquals(5, outputs.size(), "pre-data, three loaders, then the privileges");
        assertTrue(argv.get(0).contains("--section=pre-data"), argv.toString());
        for (int i = 1; i < 4; i++) {
            assertTrue(argv.get(i).contains("--section=data") && argv.get(i).contains("--no-owner"), argv.toString());
            assertEquals(i > 1, argv.get(i).stream().anyMatch(a -> a.startsWith("--use-list=")), argv.toString());
        }
        // the privileges go in last, after the data, and only then (as one pg_restore does them)
        List<String> acls = source.toc().stream().filter(e -> e.desc().equals("ACL")).map(e -> e.dumpId() + ";").toList();
        assertTrue(!acls.isEmpty());
        assertTrue(argv.get(4).stream().noneMatch(a -> a.startsWith("--section")), argv.toString());
        assertEquals(acls, useLists.get(4).lines().toList());
        for (String acl : acls) assertTrue(!useLists.get(0).lines().toList().contains(acl), "pre-data leaves out " + acl);
        assertEquals(source.toc().size() - acls.size(), useLists.get(0).lines().count());
        ArchiveContents pre = ArchiveReader.read(Files.newInputStream(outputs.get(0)));
        assertEquals(source.toc(), pre.toc(), "pre-data gets the header and table of contents");

        Map<Integer, List<String>> together = new HashMap<>();
        Map<Integer, Integer> loadersWithRows = new HashMap<>();
        for (int i = 1; i < 4; i++) {
            byte[] stream = Files.readAllBytes(outputs.get(i));
            ArchiveContents c = ArchiveReader.read(new ByteArrayInputStream(stream));
            assertEquals(source.toc(), c.toc());
            assertEquals(i == 1 ? 1 : 0, c.largeObjects(), "large objects go to the first loader only");
            for (TocEntry e : source.toc()) {
                if (e.isTableData()) assertTrue(c.rows().containsKey(e.dumpId()), "loader " + i + " has the block of " + e.tag());
            }
            lines(stream).forEach((id, l) -> {
                together.computeIfAbsent(id, k -> new ArrayList<>()).addAll(l);
                if (!l.isEmpty()) loadersWithRows.merge(id, 1, Integer::sum);
            });
        }
        for (TocEntry e : source.toc()) {
            if (!e.isTableData()) continue;
            List<String> expected = new ArrayList<>(sourceLines.get(e.dumpId()));
            List<String> actual = new ArrayList<>(together.getOrDefault(e.dumpId(), List.of()));
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, e.tag());
        }
        int rows = source.toc().stream().filter(e -> "rows_".equals(e.tag()) && e.isTableData()).findFirst().orElseThrow().dumpId();
        assertEquals(3, loadersWithRows.get(rows), "every loader loads rows of rows_");
    }

    /** Each table's COPY lines up to its end marker (the marker and what follows excluded; an empty line counts). */
    private static Map<Integer, List<String>> lines(byte[] stream) throws IOException {
        Map<Integer, ByteArrayOutputStream> data = new HashMap<>();
        ArchiveReader.Listener collect = new ArchiveReader.Listener() {
            ByteArrayOutputStream current;

            @Override
            public boolean wantsData() {
                return true;
            }

            @Override
            public void blockBegins(TocEntry entry, boolean largeObjects) {
                current = largeObjects ? new ByteArrayOutputStream() : data.computeIfAbsent(entry.dumpId(), k -> new ByteArrayOutputStream());
            }

            @Override
            public void data(byte[] buf, int off, int len) {
                current.write(buf, off, len);
            }
        };
        ArchiveReader.read(new ByteArrayInputStream(stream), collect);
        Map<Integer, List<String>> out = new HashMap<>();
        data.forEach((id, bytes) -> {
            List<String> l = new ArrayList<>();
            String text = bytes.toString(StandardCharsets.UTF_8);
            int at = 0;
            while (at < text.length()) {
                int nl = text.indexOf('\n', at);
                String line = text.substring(at, nl);
                if (line.equals("\\.")) break;
                l.add(line);
                at = nl + 1;
            }
            out.put(id, l);
        });
        return out;
    }

    /** An input stream that gives one byte per read. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int at;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (at >= bytes.length) return -1;
            b[off] = bytes[at++];
            return 1;
        }
    }
}
