package dev.lifeboat.store;

import java.io.IOException;
import java.nio.file.Path;

/** Maps keys to paths under a root, refusing every key that could point outside it. */
final class LocalKeys {
    /** Temporary file of an upload: {@code .lifeboat-tmp-<uuid>-<name>}. */
    static final String TEMP_PREFIX = ".lifeboat-tmp-";
    /** Temporary file of a sidecar or replace. */
    static final String SCRATCH_PREFIX = ".lifeboat-scratch-";

    private LocalKeys() {}

    /** The file of {@code key} under {@code root}; an IOException naming the key when it is unsafe. */
    static Path resolve(Path root, String key) throws IOException {
        String why = problem(key);
        if (why != null) throw new IOException("refusing object key '" + printable(key) + "': " + why);
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) throw new IOException("refusing object key '" + printable(key) + "': it leaves " + root);
        return p;
    }

    /** Why {@code key} is unsafe, or null. Prefixes (for list) may end with '/', keys may not. */
    static String problem(String key) {
        if (key == null || key.isEmpty()) return "empty key";
        if (key.indexOf('\0') >= 0) return "contains a NUL byte";
        if (key.indexOf('\\') >= 0) return "contains a backslash";
        if (key.startsWith("/")) return "absolute key";
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) return "contains a '..' segment";
            if (segment.equals(".")) return "contains a '.' segment";
            if (segment.isEmpty()) return "contains an empty segment ('//' or a trailing '/')";
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (isInternal(name)) return "names one of lifeboat's temporary files";
        return null;
    }

    static boolean isInternal(String fileName) {
        return fileName.startsWith(TEMP_PREFIX) || fileName.startsWith(SCRATCH_PREFIX);
    }

    /** The prefix's directory part, checked like a key ("" for the root). */
    static Path prefixDir(Path root, String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        if (slash < 0) return root;
        return resolve(root, prefix.substring(0, slash));
    }

    private static String printable(String key) {
        return key == null ? "null" : key.replace("\0", "\\0");
    }
}
