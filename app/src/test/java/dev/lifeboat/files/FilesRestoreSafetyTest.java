package dev.lifeboat.files;

import dev.lifeboat.Version;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.EncryptionConfig;
import dev.lifeboat.harness.GpgHome;
import dev.lifeboat.harness.Lifeboat;
import dev.lifeboat.stage.Compression;
import dev.lifeboat.stage.EncodePipeline;
import dev.lifeboat.stage.Encryptor;
import dev.lifeboat.store.LocalStore;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crafted archives, encrypted with the project's own EncryptionConfig and planted in a local
 * store with a matching hand-written manifest (or one that lies): restore --files refuses
 * absolute paths, '..' and paths through symlinks, and writes nothing outside the target.
 */
class FilesRestoreSafetyTest {
    static GpgHome gpg;
    static Map<String, String> env;
    static Encryptor encryptor;
    static int seconds;

    @TempDir
    Path tmp;

    /** One entry of a crafted tar: type file/dir/symlink, name exactly as written, content or link target. */
    record Item(String type, String name, String content) {}

    @BeforeAll
    static void setUp() throws Exception {
        gpg = new GpgHome();
        GpgHome.Key key = gpg.generateCv25519("Crafted <crafted@example.com>", null);
        env = new HashMap<>();
        env.put("BACKUP_SOURCE_NAME", "app");
        env.put("BACKUP_GPG_RECIPIENT", key.fingerprint());
        env.put("BACKUP_GPG_PUBLIC_KEY", gpg.exportPublic(key.fingerprint()).toString());
        env.put("BACKUP_GPG_SECRET_KEY", gpg.exportSecret(key.fingerprint(), "").toString());
        encryptor = EncryptionConfig.fromEnv(Env.of(env))::encrypt;
    }

    @AfterAll
    static void tearDown() throws Exception {
        gpg.close();
    }

    /** Plants a files backup: the tar of {@code items}, encrypted, and a manifest listing {@code listed}. */
    static String plant(Path storeDir, List<Item> items, List<Item> listed) throws Exception {
        ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item i : items) {
                byte flag = switch (i.type()) {
                    case "dir" -> TarConstants.LF_DIR;
                    case "symlink" -> TarConstants.LF_SYMLINK;
                    default -> TarConstants.LF_NORMAL;
                };
                TarArchiveEntry e = new TarArchiveEntry(i.name(), flag, true);
                if (i.type().equals("symlink")) e.setLinkName(i.content());
                byte[] data = i.type().equals("file") ? i.content().getBytes(StandardCharsets.UTF_8) : new byte[0];
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        String stem = String.format("files/app/2026-01-01/0000%02d", ++seconds);
        String key = stem + ".tar.gz.gpg";
        Manifest.StoredObject archive;
        try (ObjectStore store = new LocalStore(storeDir)) {
            try (PendingObject p = store.create(key, Map.of(ObjectStore.VERSION_METADATA, Version.get()), -1)) {
                EncodePipeline pipe = new EncodePipeline(p.stream(), Compression.GZIP, 6, 1, encryptor, "x.tar.gz");
                pipe.input().write(tarBytes.toByteArray());
                pipe.finish();
                ObjectInfo info = p.commit();
                archive = new Manifest.StoredObject(info.key(), info.size(), pipe.sha256(), pipe.plainBytes(), null);
            }
            List<FileEntry> entries = new ArrayList<>();
            for (Item i : listed) {
                byte[] data = i.type().equals("file") ? i.content().getBytes(StandardCharsets.UTF_8) : new byte[0];
                String sha = i.type().equals("file") ? HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)) : null;
                entries.add(new FileEntry(i.name(), i.type(), data.length, i.type().equals("symlink") ? "0777" : "0644",
                        "2026-01-01T00:00:00Z", i.type().equals("symlink") ? i.content() : null, sha));
            }
            Manifest.StoredObject entriesObject = EntriesObject.write(store, stem + FilesManifest.ENTRIES_SUFFIX, entries, encryptor);
            FilesManifest m = new FilesManifest(FilesManifest.FORMAT, "files", "app", null, archive, entriesObject,
                    "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 1, "crafted", List.of("/srv"), List.of(),
                    new Manifest.Compressed("gzip", 6), new Manifest.Encrypted("public-key", List.of()), null,
                    new FilesManifest.Counts(entries.size(), 0, 0, 0, 0), null, List.of(), List.of(), "test");
            store.put(stem + ".manifest.json", m.toJson(), Map.of(ObjectStore.VERSION_METADATA, Version.get()));
        }
        return stem;
    }

    Lifeboat.Result restore(Path storeDir, String stem, Path to, String... more) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.put("BACKUP_DIR", storeDir.toString());
        e.put("BACKUP_LOCK_DIR", Lifeboat.lockDir());
        List<String> args = new ArrayList<>(List.of("restore", "--files", stem, "--to", to.toString()));
        args.addAll(List.of(more));
        return Lifeboat.run(e, args.toArray(String[]::new));
    }

    static List<Path> everything(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).toList();
        }
    }

    static final Item OK = new Item("file", "srv/ok.txt", "fine\n");

    @Test
    void honestListOfADotDotEntryIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path store = tmp.resolve("store");
        List<Item> evil = List.of(OK, new Item("file", "srv/../../evil", "pwned\n"));
        String stem = plant(store, evil, evil);
        Path to = tmp.resolve("w/target");
        Lifeboat.Result r = restore(store, stem, to);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("'..'"), r.err());
        assertFalse(Files.exists(tmp.resolve("w/evil")) || Files.exists(tmp.resolve("evil")));
        assertEquals(List.of(), everything(to), "the whole list is checked before the first write");
    }

    @Test
    void aDotDotEntryTheManifestHidesIsRefusedAtExtraction() throws Exception {
        Path store = tmp.resolve("store");
        String stem = plant(store, List.of(OK, new Item("file", "../evil", "pwned\n")), List.of(OK));
        Path to = tmp.resolve("w/target");
        Lifeboat.Result r = restore(store, stem, to);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("'..'") && r.err().contains("incomplete") && r.err().contains("do not use"), r.err());
        assertFalse(Files.exists(tmp.resolve("w/evil")));
        assertEquals(List.of(to.resolve("srv"), to.resolve("srv/ok.txt")), everything(to));
    }

    @Test
    void absolutePathsAreRefused() throws Exception {
        Path outside = tmp.resolve("abs-" + UUID.randomUUID());
        Path store = tmp.resolve("store");
        Item abs = new Item("file", outside.toString(), "pwned\n");
        String honest = plant(store, List.of(abs), List.of(abs));
        String hidden = plant(store, List.of(OK, abs), List.of(OK));
        for (String stem : List.of(honest, hidden)) {
            Path to = tmp.resolve("t-" + stem.substring(stem.lastIndexOf('/') + 1));
            Lifeboat.Result r = restore(store, stem, to);
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("absolute path"), r.err());
            assertFalse(Files.exists(outside), "nothing written at the absolute path");
            assertTrue(everything(to).stream().noneMatch(p -> p.toString().contains("abs-")), everything(to).toString());
        }
    }

    @Test
    void aPathThroughASymlinkOfTheArchiveIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path store = tmp.resolve("store");
        List<Item> items = List.of(new Item("symlink", "srv/link", outside.toString()), new Item("file", "srv/link/evil.txt", "pwned\n"));
        String honest = plant(store, items, items);
        String lying = plant(store, items, List.of(new Item("dir", "srv/link", ""), new Item("file", "srv/link/evil.txt", "pwned\n")));
        for (String stem : List.of(honest, lying)) {
            Lifeboat.Result r = restore(store, stem, tmp.resolve("t-" + stem.substring(stem.lastIndexOf('/') + 1)));
            assertEquals(3, r.exit(), r.toString());
            assertEquals(List.of(), everything(outside), "nothing written through the link: " + r.err());
        }
    }

    @Test
    void aPathThroughASymlinkAlreadyInTheTargetIsRefusedEvenWithOverwrite() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path store = tmp.resolve("store");
        Item file = new Item("file", "srv/evil.txt", "pwned\n");
        String stem = plant(store, List.of(file), List.of(file));
        Path to = Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(to.resolve("srv"), outside);
        Lifeboat.Result r = restore(store, stem, to, "--overwrite");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("symlink srv"), r.err());
        assertEquals(List.of(), everything(outside));
    }

    @Test
    void theExtractorRefusesToWriteThroughASymlinkItExtractedEarlier() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path to = Files.createDirectories(tmp.resolve("target"));
        SafeExtractor x = new SafeExtractor(to, false, Owners.none());
        TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK, true);
        link.setLinkName(outside.toString());
        x.extract("link", link, java.io.InputStream.nullInputStream(),
                new FileEntry("link", "symlink", 0, "0777", "2026-01-01T00:00:00Z", outside.toString(), null));
        TarArchiveEntry file = new TarArchiveEntry("link/evil.txt", TarConstants.LF_NORMAL, true);
        var e = assertThrows(dev.lifeboat.LifeboatException.class, () -> x.extract("link/evil.txt", file,
                new java.io.ByteArrayInputStream(new byte[0]),
                new FileEntry("link/evil.txt", "file", 0, "0644", "2026-01-01T00:00:00Z", null,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
        assertTrue(e.getMessage().contains("symlink link"), e.getMessage());
        assertEquals(List.of(), everything(outside));
    }

    @Test
    void aFileWhoseContentDiffersFromTheListFailsNamingIt() throws Exception {
        Path store = tmp.resolve("store");
        String stem = plant(store, List.of(new Item("file", "srv/a.txt", "real\n")), List.of(new Item("file", "srv/a.txt", "fake\n")));
        Path to = tmp.resolve("target");
        Lifeboat.Result r = restore(store, stem, to);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("srv/a.txt") && r.err().contains("SHA-256"), r.err());
        assertFalse(Files.exists(to.resolve("srv/a.txt")), "a file that fails its check is not left under its name");
    }
}
