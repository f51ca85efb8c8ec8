package dev.lifeboat.pg;

/** A table by schema and name, as the catalog spells them (no quoting). */
public record TableRef(String schema, String name) implements Comparable<TableRef> {
    /** The quoted, schema-qualified name for SQL. */
    public String sql() {
        return quote(schema) + "." + quote(name);
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public int compareTo(TableRef o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }
}
