package dev.lifeboat.pg;

/** A relation from pg_class: relkind 'r' table, 'p' partitioned table, 'm' materialized view, 'f' foreign table. */
record Relation(String schema, String name, char kind) {
    TableRef ref() {
        return new TableRef(schema, name);
    }
}
