package dev.lifeboat.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * A local directory as an {@link ObjectStore} (BACKUP_DIR): one file per key. Writes go to a
 * hidden temporary file and appear atomically at commit ({@link LocalUpload}); metadata lives
 * in user xattrs or, where the file system has none, in hidden sidecar files. Temporary and
 * sidecar files never appear in {@link #list}. Keys that could leave the directory are refused.
 * {@link #copy} and {@link #replace} replace an existing target, as S3 does.
 */
public final class LocalStore implements ObjectStore {
    private final Path root;
    private final LocalMetadata meta;

    /** A store in {@code root} (created when missing); metadata in xattrs when the file system has them. */
    public LocalStore(Path root) throws IOException {
        this(root, null);
    }

    /** {@code xattrs}: true/false to force xattrs or sidecars (tests), null to detect. */
    LocalStore(Path root, Boolean xattrs) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        this.meta = new LocalMetadata(xattrs != null ? xattrs : LocalMetadata.xattrsWork(this.root));
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public PendingObject create(String key, Map<String, String> metadata, long sizeHint) throws IOException {
        Path target = LocalKeys.resolve(root, key);
        if (Files.exists(target)) throw new FileAlreadyExistsException(key, null, "already exists; objects are never overwritten");
        String name = target.getFileName().toString();
        while (name.getBytes(StandardCharsets.UTF_8).length > 200) name = name.substring(0, name.length() - 1);
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling(LocalKeys.TEMP_PREFIX + UUID.randomUUID() + "-" + name);
            return new LocalUpload(key, target, temp, metadata, meta);
        } catch (IOException e) {
            throw translate(target.getParent(), key, e);
        }
    }

    @Override
    public ObjectInfo replace(String key, byte[] data, Map<String, String> metadata) throws IOException {
        return writeReplacing(key, metadata, temp -> Files.write(temp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    @Override
    public void copy(String fromKey, String toKey, Map<String, String> metadata) throws IOException {
        Path source = LocalKeys.resolve(root, fromKey);
        if (!Files.isRegularFile(source)) throw new NoSuchFileException(fromKey);
        writeReplacing(toKey, metadata, temp -> Files.copy(source, temp));
    }

    private interface Writer {
        void write(Path temp) throws IOException;
    }

    private ObjectInfo writeReplacing(String key, Map<String, String> metadata, Writer writer) throws IOException {
        Path target = LocalKeys.resolve(root, key);
        Path temp = target.resolveSibling(LocalKeys.SCRATCH_PREFIX + UUID.randomUUID());
        try {
            Files.createDirectories(target.getParent());
            writer.write(temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            meta.writeXattrs(temp, metadata);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            meta.writeSidecar(target, metadata);
            fsyncDirectory(target.getParent());
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class);
            return new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), null, metadata);
        } catch (IOException e) {
            throw translate(target.getParent(), key, e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        Path file = LocalKeys.resolve(root, key);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(key);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return Channels.newInputStream(ch);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path file = LocalKeys.resolve(root, key);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) return Optional.empty();
            return Optional.of(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), null, meta.read(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        walk(prefix, (file, attrs) -> {
            String name = file.getFileName().toString();
            if (LocalKeys.isInternal(name) || isSidecar(file)) return;
            String key = key(file);
            if (key.startsWith(prefix)) out.add(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant(), null, Map.of()));
        });
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public List<Unfinished> unfinished(String prefix) throws IOException {
        List<Unfinished> out = new ArrayList<>();
        walk(prefix, (file, attrs) -> {
            String name = file.getFileName().toString();
            int uuidEnd = LocalKeys.TEMP_PREFIX.length() + 36;
            if (!name.startsWith(LocalKeys.TEMP_PREFIX) || name.length() <= uuidEnd + 1) return;
            String key = key(file.resolveSibling(name.substring(uuidEnd + 1)));
            if (key.startsWith(prefix)) out.add(new Unfinished(key, name, attrs.lastModifiedTime().toInstant()));
        });
        out.sort(Comparator.comparing(Unfinished::key));
        return out;
    }

    @Override
    public void abort(Unfinished upload) throws IOException {
        Path parent = LocalKeys.resolve(root, upload.key()).getParent();
        String id = upload.uploadId();
        if (id == null || !id.startsWith(LocalKeys.TEMP_PREFIX) || id.contains("/") || id.contains("\\") || id.indexOf('\0') >= 0) {
            throw new IOException("refusing to abort '" + upload.key() + "': " + id + " is not one of lifeboat's temporary files");
        }
        Files.deleteIfExists(parent.resolve(id));
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = LocalKeys.resolve(root, key);
        if (Files.isDirectory(file)) return;
        Files.deleteIfExists(file);
        meta.deleteSidecar(file);
        for (Path dir = file.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                break;
            }
        }
    }

    @Override
    public Map<String, String> deleteAll(List<String> keys) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (String key : keys) {
            try {
                delete(key);
            } catch (IOException e) {
                failed.put(key, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        return failed;
    }

    @Override
    public void close() {
        // nothing held open
    }

    private boolean isSidecar(Path file) {
        String name = file.getFileName().toString();
        return meta.usesSidecars() && name.startsWith(".") && name.endsWith(".meta.json")
                && Files.isRegularFile(file.resolveSibling(name.substring(1, name.length() - ".meta.json".length())));
    }

    private String key(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** Visits the regular files under the prefix's directory; a missing directory is an empty walk. */
    private void walk(String prefix, BiConsumer<Path, BasicFileAttributes> visitor) throws IOException {
        Path start = LocalKeys.prefixDir(root, prefix);
        if (!Files.isDirectory(start)) return;
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) visitor.accept(file, attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // deleted while listing
                throw e;
            }
        });
    }

    /** Makes a rename durable; file systems that cannot fsync a directory are left as they are. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not supported here (some platforms refuse to open a directory for fsync)
        }
    }

    /** "Disk full" becomes "no space left on <dir>"; other errors pass unchanged. */
    static IOException translate(Path dir, String key, IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("no space left on ")) return e;
        if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
            return new IOException("no space left on " + dir + " (while writing " + key + ")", e);
        }
        return e;
    }
}
