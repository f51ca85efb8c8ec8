package dev.lifeboat.store;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract on a local directory (metadata in xattrs where the file system has them), plus key safety. */
class LocalStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore() throws IOException {
        return new LocalStore(dir.resolve("store"));
    }

    @Override
    protected long largerThanOnePart() {
        return 3L * 1024 * 1024 + 7;
    }

    @Test
    void keysThatWouldLeaveTheDirectoryAreRefused() {
        for (String key : List.of("../evil", "a/../../evil", "/etc/passwd", "a\\b", "a\0b", "a//b", "./a", "a/.", "", "a/")) {
            IOException e = assertThrows(IOException.class, () -> store.create(key, META, 1), key);
            assertTrue(e.getMessage().contains("refusing object key"), e.getMessage());
            assertThrows(IOException.class, () -> store.open(key, 0), key);
            assertThrows(IOException.class, () -> store.stat(key), key);
            assertThrows(IOException.class, () -> store.delete(key), key);
            assertThrows(IOException.class, () -> store.put(key, bytes("x"), META), key);
            assertThrows(IOException.class, () -> store.replace(key, bytes("x"), META), key);
        }
        assertThrows(IOException.class, () -> store.list("../"));
        assertThrows(IOException.class, () -> store.copy("a", "../b", META));
        assertThrows(IOException.class, () -> store.abort(new Unfinished("x", "../../etc/passwd", null)));
        assertTrue(Files.notExists(dir.resolve("evil")));
        IOException named = assertThrows(IOException.class, () -> store.put("x/../../evil", bytes("x"), META));
        assertTrue(named.getMessage().contains("x/../../evil"), named.getMessage());
    }

    @Test
    void temporaryFilesNeverShowInListings() throws Exception {
        store.put("a/done", bytes("done"), META);
        PendingObject p = store.create("a/pending", META, 10);
        p.stream().write(bytes("partial"));
        p.stream().flush();
        try (Stream<Path> files = Files.list(dir.resolve("store/a"))) {
            assertEquals(2, files.count(), "the temporary file is beside the target");
        }
        assertEquals(List.of("a/done"), keys(store.list("")));
        assertEquals(List.of("a/pending"), store.unfinished("").stream().map(Unfinished::key).toList());
        p.abort();
        try (Stream<Path> files = Files.list(dir.resolve("store/a"))) {
            assertEquals(List.of("done"), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void deleteRemovesEmptyDirectories() throws Exception {
        store.put("pg/db/2024-01-01/x", bytes("x"), META);
        store.delete("pg/db/2024-01-01/x");
        assertTrue(Files.notExists(dir.resolve("store/pg")));
        assertTrue(Files.isDirectory(dir.resolve("store")));
    }

    @Test
    void diskFullMessageNamesTheDirectory() {
        IOException e = LocalStore.translate(Path.of("/backups/pg"), "pg/x", new IOException("No space left on device"));
        assertEquals("no space left on /backups/pg (while writing pg/x)", e.getMessage());
        IOException other = new IOException("Permission denied");
        assertSame(other, LocalStore.translate(Path.of("/backups/pg"), "pg/x", other));
    }

    /** A real full disk: a 1 MiB tmpfs (needs root and mount; skipped elsewhere, the message test above still runs). */
    @Test
    void diskFullIsNamedAndLeavesNothing() throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()) == 0, "cannot mount a tmpfs here");
        try {
            LocalStore full = new LocalStore(small);
            PendingObject p = full.create("pg/dump", META, -1);
            IOException e = assertThrows(IOException.class, () -> {
                p.stream().write(random(2 * 1024 * 1024, 10));
                p.commit();
            });
            assertTrue(e.getMessage().startsWith("no space left on " + small.resolve("pg")), e.getMessage());
            p.close();
            assertEquals(List.of(), full.unfinished(""));
            assertEquals(List.of(), full.list(""));
            try (Stream<Path> files = Files.list(small.resolve("pg"))) {
                assertEquals(0, files.count(), "the temporary file is removed");
            }
        } finally {
            assertEquals(0, run("umount", small.toString()));
        }
    }

    @Test
    void metadataLivesInXattrsWhenTheFileSystemHasThem() throws Exception {
        Assumptions.assumeTrue(LocalMetadata.xattrsWork(dir), "no user xattrs on " + dir);
        store.put("x/obj", bytes("x"), META);
        try (Stream<Path> files = Files.list(dir.resolve("store/x"))) {
            assertEquals(List.of("obj"), files.map(f -> f.getFileName().toString()).toList(), "no sidecar");
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(dir.resolve("store/x/obj"), UserDefinedFileAttributeView.class);
        assertTrue(view.list().contains("lifeboat." + ObjectStore.VERSION_METADATA), view.list().toString());
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    @Test
    void fromEnvPicksTheDirectory() throws Exception {
        try (ObjectStore s = ObjectStores.fromEnv(dev.lifeboat.config.Env.of(Map.of("BACKUP_DIR", dir.resolve("env").toString())))) {
            assertTrue(s instanceof LocalStore);
            assertEquals(dir.resolve("env").toString(), s.describe());
        }
    }
}
