package dev.lifeboat.mirror;

import dev.lifeboat.LifeboatException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Globs on object keys (--exclude, MIRROR_EXCLUDE): {@code *} and {@code ?} stay within one
 * '/'-separated segment, {@code **} crosses segments ({@code tmp/**} is everything under tmp/,
 * {@code **}{@code /*.tmp} every .tmp file at any depth). The whole key must match.
 */
public final class KeyGlob {
    private final List<String> globs;
    private final List<Pattern> patterns;

    private KeyGlob(List<String> globs, List<Pattern> patterns) {
        this.globs = globs;
        this.patterns = patterns;
    }

    public static KeyGlob of(List<String> globs) {
        List<Pattern> patterns = new ArrayList<>();
        for (String g : globs) {
            if (g == null || g.isBlank()) throw LifeboatException.config("--exclude: an empty pattern matches nothing");
            patterns.add(Pattern.compile(regex(g), Pattern.DOTALL));
        }
        return new KeyGlob(List.copyOf(globs), patterns);
    }

    public static KeyGlob none() {
        return new KeyGlob(List.of(), List.of());
    }

    public boolean matches(String key) {
        for (Pattern p : patterns) {
            if (p.matcher(key).matches()) return true;
        }
        return false;
    }

    public List<String> globs() {
        return globs;
    }

    static String regex(String glob) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                sb.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 3 : 2;
                continue;
            }
            if (c == '*') sb.append("[^/]*");
            else if (c == '?') sb.append("[^/]");
            else sb.append(Pattern.quote(String.valueOf(c)));
            i++;
        }
        return sb.toString();
    }
}
