package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --exclude GLOB}, matched against an entry's path relative to the root it was found
 * under ({@code cache/**}, {@code logs/*.log}). A glob without a {@code /} also matches the
 * entry's file name anywhere in the tree ({@code *.tmp}, {@code node_modules}), as tar and
 * rsync users expect. An excluded directory is skipped with everything below it.
 */
public final class Excludes {
    private final List<String> globs;
    private final List<PathMatcher> whole = new ArrayList<>();
    private final List<PathMatcher> names = new ArrayList<>();

    public Excludes(List<String> globs) {
        this.globs = List.copyOf(globs);
        for (String g : globs) {
            String glob = g.startsWith("./") ? g.substring(2) : g;
            while (glob.endsWith("/") && glob.length() > 1) glob = glob.substring(0, glob.length() - 1);
            if (glob.isEmpty()) throw LifeboatException.config("--exclude needs a non-empty glob");
            try {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                whole.add(m);
                if (!glob.contains("/")) names.add(m);
            } catch (IllegalArgumentException e) {
                throw LifeboatException.config("--exclude " + g + " is not a valid glob (" + e.getMessage() + ")");
            }
        }
    }

    public static Excludes none() {
        return new Excludes(List.of());
    }

    public List<String> globs() {
        return globs;
    }

    /** Whether {@code relative} (a path relative to its root, never empty) is excluded. */
    public boolean excludes(Path relative) {
        for (PathMatcher m : whole) if (m.matches(relative)) return true;
        Path name = relative.getFileName();
        for (PathMatcher m : names) if (name != null && m.matches(name)) return true;
        return false;
    }
}
