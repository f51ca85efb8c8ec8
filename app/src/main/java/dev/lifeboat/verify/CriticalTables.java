package dev.lifeboat.verify;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code BACKUP_CRITICAL_TABLES}: comma-separated {@code schema.table} or {@code table} (which
 * means {@code public.table}). As in SQL, unquoted names are folded to lower case and a
 * double-quoted name is taken exactly ({@code "Sales"."Order.Lines"}); a comma cannot appear
 * inside a name here.
 */
public final class CriticalTables {
    public static final String VARIABLE = "BACKUP_CRITICAL_TABLES";

    private CriticalTables() {}

    public static List<TableName> parse(List<String> items) {
        List<TableName> out = new ArrayList<>();
        for (String item : items) {
            List<String> parts = split(item.trim());
            if (parts == null || parts.isEmpty() || parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
                throw LifeboatException.config(VARIABLE + ": '" + item + "' is not a table name (expected schema.table or "
                        + "table, comma-separated, e.g. public.orders,customers)");
            }
            TableName t = parts.size() == 1 ? new TableName("public", parts.get(0)) : new TableName(parts.get(0), parts.get(1));
            if (!out.contains(t)) out.add(t);
        }
        return List.copyOf(out);
    }

    public static String show(TableName t) {
        return t.schema() + "." + t.name();
    }

    /** The dot-separated identifiers of one item; null when a quote is not closed. */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(finish(cur, wasQuoted));
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(c);
            }
        }
        if (quoted) return null;
        parts.add(finish(cur, wasQuoted));
        return parts;
    }

    private static String finish(StringBuilder part, boolean quoted) {
        return quoted ? part.toString() : part.toString().trim().toLowerCase(Locale.ROOT);
    }
}
