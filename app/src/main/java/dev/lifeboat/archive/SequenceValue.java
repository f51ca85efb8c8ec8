package dev.lifeboat.archive;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A sequence's value as the dump sets it: {@code SELECT pg_catalog.setval('s.seq', 200, true);}. */
public record SequenceValue(String schema, String name, long value, boolean called) {
    private static final Pattern SETVAL = Pattern.compile("setval\\('(.*)', (-?\\d+), (true|false)\\)", Pattern.DOTALL);

    public static Optional<SequenceValue> of(TocEntry e) {
        if (!"SEQUENCE SET".equals(e.desc()) || e.defn() == null) return Optional.empty();
        Matcher m = SETVAL.matcher(e.defn());
        if (!m.find()) return Optional.empty();
        return Optional.of(new SequenceValue(e.namespace(), e.tag(), Long.parseLong(m.group(2)), "true".equals(m.group(3))));
    }
}
