package dev.lifeboat.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Walks the roots of a files backup depth-first in name order (so the archive's order is
 * stable), never following a symlink. Each entry is read with one {@code lstat}
 * ({@code unix:*} attributes). Archive names are the absolute path without its leading
 * {@code /} ({@code srv/app/config.yml}), as GNU tar names them, so several roots never
 * collide; exclusion globs see the path relative to the root the entry was found under.
 */
final class TreeWalk {
    /** What the walk reports; {@code attrs} are the {@code unix:*} attributes of the entry (not of a link's target). */
    interface Visitor {
        void entry(Path file, String name, Map<String, Object> attrs) throws IOException, InterruptedException;

        /** The entry disappeared between being listed and being read. */
        void vanished(Path file, String name);

        /** The entry (or a directory's listing) cannot be read for lack of permission. */
        void unreadable(Path file, String name, String why);
    }

    private final Excludes excludes;

    TreeWalk(Excludes excludes) {
        this.excludes = excludes;
    }

    void walk(List<Path> roots, Visitor visitor) throws IOException, InterruptedException {
        for (Path root : roots) visit(root, root, visitor);
    }

    /** The name inside the archive: the absolute path without its leading "/", '/'-separated. */
    static String archiveName(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path rel = abs.getRoot() == null ? abs : abs.getRoot().relativize(abs);
        return rel.toString().replace(abs.getFileSystem().getSeparator(), "/");
    }

    private void visit(Path root, Path file, Visitor visitor) throws IOException, InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException("interrupted while walking " + root);
        if (!file.equals(root) && excludes.excludes(root.relativize(file))) return;
        String name = archiveName(file);
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(file, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            visitor.vanished(file, name);
            return;
        } catch (AccessDeniedException e) {
            visitor.unreadable(file, name, "permission denied");
            return;
        }
        visitor.entry(file, name, attrs);
        if (!Boolean.TRUE.equals(attrs.get("isDirectory"))) return;
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file)) {
            for (Path child : dir) children.add(child);
        } catch (NoSuchFileException | NotDirectoryException e) {
            visitor.vanished(file, name + "/ (its contents)");
            return;
        } catch (AccessDeniedException e) {
            visitor.unreadable(file, name + "/", "cannot list the directory: permission denied");
            return;
        }
        children.sort(null);
        for (Path child : children) visit(root, child, visitor);
    }
}
