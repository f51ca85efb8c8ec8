package dev.lifeboat.ops;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), written for the
 * tests: every line must be a HELP, TYPE or comment line, or a sample; HELP and TYPE at most
 * once per metric and before its samples; a metric's samples contiguous; no duplicate series;
 * label values only with the escapes \\ \" \n; values as Go's ParseFloat reads them; the
 * file ends with a newline. Any violation throws with the line number.
 */
final class PromText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)\\})? ([^ ]+)(?: (-?[0-9]+))?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]Inf");

    private PromText() {}

    /** Series key {@code name{a="x",b="y"}} (labels sorted) to value. */
    static Map<String, Double> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("metrics file does not end with a newline");
        Map<String, Double> series = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helps = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String currentMetric = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int n = i + 1;
            if (line.startsWith("# HELP ")) {
                Matcher m = match(HELP, line, n);
                if (!helps.add(m.group(1))) throw fail(n, "second HELP for " + m.group(1));
                if (series.keySet().stream().anyMatch(k -> k.startsWith(m.group(1) + "{"))) throw fail(n, "HELP after samples");
            } else if (line.startsWith("# TYPE ")) {
                Matcher m = match(TYPE, line, n);
                if (types.put(m.group(1), m.group(2)) != null) throw fail(n, "second TYPE for " + m.group(1));
                if (series.keySet().stream().anyMatch(k -> k.startsWith(m.group(1) + "{"))) throw fail(n, "TYPE after samples");
            } else if (line.startsWith("#")) {
                continue;
            } else {
                Matcher m = match(SAMPLE, line, n);
                String name = m.group(1);
                if (!name.equals(currentMetric)) {
                    if (finished.contains(name)) throw fail(n, "samples of " + name + " are not together");
                    if (currentMetric != null) finished.add(currentMetric);
                    currentMetric = name;
                }
                Map<String, String> labels = labels(m.group(2), n);
                if (!FLOAT.matcher(m.group(3)).matches()) throw fail(n, "bad value " + m.group(3));
                double value = m.group(3).endsWith("Inf") ? (m.group(3).startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                        : Double.parseDouble(m.group(3));
                String key = name + labels.toString().replace(", ", ",");
                if (series.put(key, value) != null) throw fail(n, "duplicate series " + key);
            }
        }
        return series;
    }

    static String key(String name, String command, String source) {
        return name + "{command=" + command + ",source=" + source + "}";
    }

    private static Map<String, String> labels(String body, int n) {
        Map<String, String> out = new TreeMap<>();
        if (body == null || body.isEmpty()) return out;
        Matcher m = LABEL.matcher(body);
        int pos = 0;
        while (m.find(pos) && m.start() == pos) {
            if (out.put(m.group(1), m.group(2)) != null) throw fail(n, "label " + m.group(1) + " twice");
            pos = m.end();
            if (pos == body.length()) return out;
            if (body.charAt(pos) != ',') throw fail(n, "expected ',' in labels");
            pos++;
        }
        if (pos == body.length()) return out; // a trailing comma is allowed
        throw fail(n, "malformed labels {" + body + "}");
    }

    private static Matcher match(Pattern p, String line, int n) {
        Matcher m = p.matcher(line);
        if (!m.matches()) throw fail(n, "not valid: " + line);
        return m;
    }

    private static AssertionError fail(int line, String why) {
        return new AssertionError("metrics line " + line + ": " + why);
    }
}
