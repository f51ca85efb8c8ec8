package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;

import java.util.ArrayList;
import java.util.List;

/**
 * The names restore accepts inside a files archive: relative, '/'-separated, no {@code ..}
 * segment, no NUL, not empty. {@code .} segments, repeated and trailing slashes are dropped
 * ({@code ./srv//app/} is {@code srv/app}). Anything else is refused (exit 3) before a byte
 * of that entry is written: a crafted archive could otherwise write outside the target.
 */
final class EntryNames {
    private EntryNames() {}

    /** The normalized name, or exit 3 naming the entry and why it is refused. */
    static String check(String raw) {
        if (raw == null || raw.isEmpty()) throw refused(String.valueOf(raw), "it has no name");
        if (raw.indexOf('\0') >= 0) throw refused(raw, "it contains a NUL byte");
        if (raw.startsWith("/")) throw refused(raw, "it is an absolute path");
        List<String> parts = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) throw refused(raw, "it has a '..' segment");
            parts.add(s);
        }
        if (parts.isEmpty()) throw refused(raw, "it names the target directory itself");
        return String.join("/", parts);
    }

    /** The parent names of {@code name}, outermost first ({@code a/b/c} gives {@code a}, {@code a/b}). */
    static List<String> parents(String name) {
        List<String> out = new ArrayList<>();
        for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) out.add(name.substring(0, i));
        return out;
    }

    static LifeboatException refused(String name, String why) {
        return LifeboatException.failed("refusing archive entry '" + name + "': " + why);
    }
}
