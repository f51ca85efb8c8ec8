package dev.lifeboat.pg;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pg_dump object-name pattern (the rules of psql's \d: {@code *} and {@code ?} are
 * wildcards, unquoted letters fold to lower case, double quotes keep case and make the
 * wildcards literal, an unquoted dot separates schema from name). Without a schema part a
 * table pattern matches in every schema, as pg_dump does.
 */
public final class NamePattern {
    private final Pattern schema;
    private final Pattern name;
    private final String text;

    private NamePattern(String text, Pattern schema, Pattern name) {
        this.text = text;
        this.schema = schema;
        this.name = name;
    }

    /** A pattern for tables: {@code [schema.]table}. */
    public static NamePattern table(String text) {
        String[] parts = split(text);
        return new NamePattern(text, parts[0] == null ? null : compile(parts[0]), compile(parts[1]));
    }

    /** A pattern for schemas. */
    public static NamePattern schema(String text) {
        return new NamePattern(text, null, compile(text));
    }

    public boolean matchesTable(TableRef t) {
        return (schema == null || schema.matcher(t.schema()).matches()) && name.matcher(t.name()).matches();
    }

    public boolean matchesSchema(String s) {
        return name.matcher(s).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Splits at the last unquoted dot: {schema or null, name}. */
    private static String[] split(String text) {
        boolean quoted = false;
        int dot = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == '.' && !quoted) dot = i;
        }
        return dot < 0 ? new String[] {null, text} : new String[] {text.substring(0, dot), text.substring(dot + 1)};
    }

    private static Pattern compile(String part) {
        StringBuilder re = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < part.length() && part.charAt(i + 1) == '"') {
                    re.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (!quoted && c == '*') {
                re.append(".*");
            } else if (!quoted && c == '?') {
                re.append('.');
            } else {
                String s = quoted ? String.valueOf(c) : String.valueOf(c).toLowerCase(Locale.ROOT);
                re.append(Pattern.quote(s));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
