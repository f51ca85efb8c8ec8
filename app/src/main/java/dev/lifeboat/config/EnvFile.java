package dev.lifeboat.config;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --env-file}: {@code KEY=VALUE} lines, {@code #} comments, blank lines, an
 * optional {@code export } prefix, and values optionally in single or double quotes.
 * Nothing is expanded.
 */
final class EnvFile {
    private static final Pattern LINE = Pattern.compile("^(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)$");

    private EnvFile() {}

    static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw LifeboatException.config("--env-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw LifeboatException.config("--env-file " + file + " line " + (i + 1) + ": expected KEY=VALUE");
            }
            out.put(m.group(1), unquote(m.group(2)));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2) {
            char first = v.charAt(0);
            char last = v.charAt(v.length() - 1);
            if ((first == '"' || first == '\'') && first == last) return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
