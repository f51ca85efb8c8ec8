package dev.lifeboat.pg;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PostgreSQL version: the major (10+) and the rest, parsed from `pg_dump --version` or the server. */
public record PgVersion(int major, int minor, String text) implements Comparable<PgVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    /** Parses the first version number in a text such as "pg_dump (PostgreSQL) 15.18 (Debian ...)". */
    public static PgVersion parse(String text) {
        String t = text.contains(")") ? text.substring(text.indexOf(')') + 1) : text;
        Matcher m = VERSION.matcher(t);
        if (!m.find()) throw new IllegalArgumentException("no version in: " + text);
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return new PgVersion(major, minor, m.group());
    }

    /** From server_version_num (e.g. 150018). */
    public static PgVersion fromNum(int num) {
        return new PgVersion(num / 10000, num % 10000, (num / 10000) + "." + (num % 10000));
    }

    @Override
    public int compareTo(PgVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return text;
    }
}
