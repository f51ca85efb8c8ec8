package dev.lifeboat.pg;

/** A table whose data the dump carries, with its exact row count in the dump's snapshot. */
public record TableCount(String schema, String name, long rows) {
    public TableRef ref() {
        return new TableRef(schema, name);
    }
}
