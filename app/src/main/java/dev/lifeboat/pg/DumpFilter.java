package dev.lifeboat.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * The table and schema filters of a backup, passed to pg_dump unchanged and applied here to
 * the catalog so that the manifest's row counts cover exactly the tables whose data the dump
 * carries.
 */
public record DumpFilter(List<String> tables, List<String> excludeTables, List<String> excludeTableData,
                         List<String> schemas, List<String> excludeSchemas) {
    public static final DumpFilter NONE = new DumpFilter(List.of(), List.of(), List.of(), List.of(), List.of());

    public DumpFilter {
        tables = List.copyOf(tables);
        excludeTables = List.copyOf(excludeTables);
        excludeTableData = List.copyOf(excludeTableData);
        schemas = List.copyOf(schemas);
        excludeSchemas = List.copyOf(excludeSchemas);
    }

    public boolean isEmpty() {
        return tables.isEmpty() && excludeTables.isEmpty() && excludeTableData.isEmpty() && schemas.isEmpty() && excludeSchemas.isEmpty();
    }

    /** pg_dump's arguments for these filters (each pattern as its own argument, never through a shell). */
    public List<String> pgDumpArgs() {
        List<String> args = new ArrayList<>();
        tables.forEach(t -> args.add("--table=" + t));
        excludeTables.forEach(t -> args.add("--exclude-table=" + t));
        excludeTableData.forEach(t -> args.add("--exclude-table-data=" + t));
        schemas.forEach(s -> args.add("--schema=" + s));
        excludeSchemas.forEach(s -> args.add("--exclude-schema=" + s));
        return args;
    }

    /**
     * Whether pg_dump dumps this table's definition. As pg_dump documents: with {@code --table}
     * the schema switches have no effect and {@code --exclude-table} subtracts; otherwise
     * {@code --schema} selects and {@code --exclude-schema} and {@code --exclude-table} subtract.
     */
    public boolean includesTable(TableRef t) {
        if (!tables.isEmpty()) return any(tables, t) && !any(excludeTables, t);
        if (!schemas.isEmpty() && schemas.stream().noneMatch(s -> NamePattern.schema(s).matchesSchema(t.schema()))) return false;
        if (excludeSchemas.stream().anyMatch(s -> NamePattern.schema(s).matchesSchema(t.schema()))) return false;
        return !any(excludeTables, t);
    }

    /** Whether pg_dump dumps this table's rows. */
    public boolean includesData(TableRef t) {
        return includesTable(t) && !any(excludeTableData, t);
    }

    private static boolean any(List<String> patterns, TableRef t) {
        return patterns.stream().anyMatch(p -> NamePattern.table(p).matchesTable(t));
    }
}
