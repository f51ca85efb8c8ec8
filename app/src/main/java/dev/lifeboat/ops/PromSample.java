package dev.lifeboat.ops;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One sample line of the metrics file: {@code name{label="value",…} value}. */
record PromSample(String name, Map<String, String> labels, double value) {
    static final String LAST_RUN = "lifeboat_last_run_timestamp_seconds";
    static final String LAST_SUCCESS = "lifeboat_last_success_timestamp_seconds";
    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put(LAST_RUN, "Unix time when the last run of this command for this source ended.");
        HELP.put(LAST_SUCCESS, "Unix time when the last successful run of this command for this source ended (0: never).");
        HELP.put("lifeboat_last_run_duration_seconds", "Duration of the last run in seconds.");
        HELP.put("lifeboat_last_run_status", "1 if the last run succeeded, 0 if it failed.");
        HELP.put("lifeboat_last_run_bytes", "Bytes the last run wrote or read (the stored object size for backup).");
        HELP.put("lifeboat_last_run_objects", "Objects the last run wrote, read, copied or deleted.");
        for (Gauge g : Gauge.values()) HELP.put(g.metric, g.help);
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    static List<PromSample> of(RunOutcome run, double previousSuccess) {
        Map<String, String> l = MetricsFile.labels(run.command(), run.source());
        double end = seconds(run.finished().toEpochMilli());
        List<PromSample> out = new ArrayList<>();
        out.add(new PromSample(LAST_RUN, l, end));
        out.add(new PromSample(LAST_SUCCESS, l, run.success() ? end : previousSuccess));
        out.add(new PromSample("lifeboat_last_run_duration_seconds", l, seconds(run.duration().toMillis())));
        out.add(new PromSample("lifeboat_last_run_status", l, run.success() ? 1 : 0));
        out.add(new PromSample("lifeboat_last_run_bytes", l, run.bytes()));
        out.add(new PromSample("lifeboat_last_run_objects", l, run.objects()));
        for (Map.Entry<Gauge, Double> g : new TreeMap<>(run.gauges()).entrySet()) {
            out.add(new PromSample(g.getKey().metric, l, g.getValue()));
        }
        return out;
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    /** A sample line, or null for comments, blanks and lines this reader does not understand. */
    static PromSample parse(String line) {
        if (line.isBlank() || line.startsWith("#")) return null;
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) return null;
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
            Matcher lm = LABEL.matcher(m.group(3));
            int pos = 0;
            while (lm.find() && lm.start() == pos) {
                labels.put(lm.group(1), unescape(lm.group(2)));
                pos = lm.end();
            }
            if (pos != m.group(3).length()) return null;
        }
        try {
            return new PromSample(m.group(1), labels, parseValue(m.group(4)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String render() {
        StringBuilder b = new StringBuilder(name);
        if (!labels.isEmpty()) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (!first) b.append(',');
                b.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
                first = false;
            }
            b.append('}');
        }
        return b.append(' ').append(formatValue(value)).toString();
    }

    static Map<String, List<PromSample>> group(List<PromSample> samples) {
        Map<String, List<PromSample>> out = new LinkedHashMap<>();
        for (String known : HELP.keySet()) out.put(known, new ArrayList<>());
        for (PromSample s : samples) out.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        out.values().removeIf(List::isEmpty);
        Comparator<PromSample> byLabels = Comparator.comparing(s -> s.labels().toString());
        out.values().forEach(l -> l.sort(byLabels));
        return out;
    }

    static String help(String name) {
        return HELP.getOrDefault(name, "lifeboat metric.");
    }

    static String formatValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static double parseValue(String s) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(s);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
