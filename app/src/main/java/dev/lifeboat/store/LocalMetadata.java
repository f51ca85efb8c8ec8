package dev.lifeboat.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * User metadata of a local object: user xattrs {@code user.lifeboat.<name>} where the file system
 * has them, else a hidden sidecar {@code .<file>.meta.json} beside the object.
 */
final class LocalMetadata {
    private static final String XATTR_PREFIX = "lifeboat."; // Java adds the "user." namespace
    private static final ObjectMapper JSON = new ObjectMapper();
    private final boolean xattrs;

    LocalMetadata(boolean xattrs) {
        this.xattrs = xattrs;
    }

    /** Whether {@code dir}'s file system takes user xattrs (tried on a scratch file). */
    static boolean xattrsWork(Path dir) {
        Path probe = dir.resolve(LocalKeys.SCRATCH_PREFIX + UUID.randomUUID());
        try {
            Files.createFile(probe);
            UserDefinedFileAttributeView view = Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class);
            if (view == null) return false;
            view.write(XATTR_PREFIX + "probe", ByteBuffer.wrap(new byte[] {1}));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a probe left behind is a hidden scratch file, never listed
            }
        }
    }

    boolean usesSidecars() {
        return !xattrs;
    }

    static Path sidecar(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".meta.json");
    }

    /** Attaches metadata to a file that is not yet visible under its key (xattrs only). */
    void writeXattrs(Path file, Map<String, String> metadata) throws IOException {
        if (!xattrs) return;
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            view.write(XATTR_PREFIX + e.getKey(), StandardCharsets.UTF_8.encode(e.getValue()));
        }
    }

    /** Writes the sidecar of a visible object atomically (sidecar mode only). */
    void writeSidecar(Path file, Map<String, String> metadata) throws IOException {
        if (xattrs) return;
        Path side = sidecar(file);
        Path tmp = file.resolveSibling(LocalKeys.SCRATCH_PREFIX + UUID.randomUUID());
        try {
            Files.write(tmp, JSON.writeValueAsBytes(new TreeMap<>(metadata)));
            Files.move(tmp, side, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Map<String, String> read(Path file) throws IOException {
        if (!xattrs) {
            try {
                return JSON.readValue(Files.readAllBytes(sidecar(file)), new TypeReference<TreeMap<String, String>>() {});
            } catch (NoSuchFileException e) {
                return Map.of();
            }
        }
        Map<String, String> out = new TreeMap<>();
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        try {
            for (String name : view.list()) {
                if (!name.startsWith(XATTR_PREFIX)) continue;
                ByteBuffer buf = ByteBuffer.allocate(view.size(name));
                view.read(name, buf);
                buf.flip();
                out.put(name.substring(XATTR_PREFIX.length()), StandardCharsets.UTF_8.decode(buf).toString());
            }
        } catch (FileSystemException e) {
            if (e instanceof NoSuchFileException) throw e;
            throw new IOException("cannot read the metadata of " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    void deleteSidecar(Path file) throws IOException {
        if (!xattrs) Files.deleteIfExists(sidecar(file));
    }
}
