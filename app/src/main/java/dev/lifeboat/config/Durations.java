package dev.lifeboat.config;

import dev.lifeboat.LifeboatException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as DESIGN.md writes them: a number and a unit, {@code s}, {@code min}, {@code h},
 * {@code d}, {@code w}, {@code mo} (30 days), {@code y} (365 days), optionally several in a row
 * ({@code 1h30min}); {@code 0} alone is zero. A bare {@code m} is refused as ambiguous.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([a-z]+)");

    private Durations() {}

    public static Duration parse(String name, String text) {
        String v = text.trim().toLowerCase();
        if (v.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(v);
        Duration total = Duration.ZERO;
        int pos = 0;
        while (m.find()) {
            if (m.start() != pos || !v.substring(pos, m.start()).isBlank()) break;
            total = total.plus(unit(name, text, m.group(2)).multipliedBy(Long.parseLong(m.group(1))));
            pos = m.end();
            while (pos < v.length() && v.charAt(pos) == ' ') pos++;
        }
        if (pos == 0 || pos != v.length()) {
            throw LifeboatException.config(name + "=" + text + " is not a duration (expected e.g. 90min, 7d, 12mo; units s, min, h, d, w, mo, y)");
        }
        return total;
    }

    private static Duration unit(String name, String text, String unit) {
        switch (unit) {
            case "s": return Duration.ofSeconds(1);
            case "min": return Duration.ofMinutes(1);
            case "h": return Duration.ofHours(1);
            case "d": return Duration.ofDays(1);
            case "w": return Duration.ofDays(7);
            case "mo": return Duration.ofDays(30);
            case "y": return Duration.ofDays(365);
            case "m": throw LifeboatException.config(name + "=" + text + ": the unit 'm' is ambiguous (write min for minutes or mo for months)");
            default: throw LifeboatException.config(name + "=" + text + ": unknown unit '" + unit + "' (units s, min, h, d, w, mo, y)");
        }
    }

    /** The shortest exact spelling, for logs and reports. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) return "0";
        long[] sizes = {365L * 86400, 30L * 86400, 7L * 86400, 86400, 3600, 60, 1};
        String[] units = {"y", "mo", "w", "d", "h", "min", "s"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i] && (i >= 3 || s % sizes[i] == 0)) {
                b.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return b.toString();
    }
}
