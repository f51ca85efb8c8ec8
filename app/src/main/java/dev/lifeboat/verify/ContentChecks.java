package dev.lifeboat.verify;

import dev.lifeboat.archive.ArchiveContents;
import dev.lifeboat.archive.TocEntry;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.backup.Manifest.TableEntry;
import dev.lifeboat.backup.Manifest.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The checks that compare what a backup holds with its manifest: archive blocks, tables, critical tables. */
final class ContentChecks {
    static final String ARCHIVE = "archive";
    static final String TABLES = "tables";
    static final String CRITICAL = "critical";

    private ContentChecks() {}

    /** Every announced data block was there (a dump cut short still lists its TOC cleanly). */
    static Check archive(ArchiveContents c) {
        if (!c.missingData().isEmpty()) {
            return Check.failed(ARCHIVE, "the table of contents announces data that never came for " + names(c.missingData())
                    + " (the dump was cut short)");
        }
        long blocks = c.toc().stream().filter(TocEntry::hasData).count();
        return Check.ok(ARCHIVE, "archive " + c.version() + ": " + c.toc().size() + " TOC entries, all " + blocks
                + " data blocks read (" + Units.bytes(c.bytes()) + ")");
    }

    /** Table data for every table of the manifest, each with exactly the manifest's row count; large objects too. */
    static Check tables(Manifest m, ArchiveContents c) {
        List<String> problems = new ArrayList<>();
        long rows = 0;
        for (TableEntry t : m.tables()) {
            String name = t.schema() + "." + t.name();
            if (!c.hasTableData(t.schema(), t.name())) {
                problems.add(name + ": no TABLE DATA in the archive");
            } else if (!c.compressed() && c.rowsOf(t.schema(), t.name()) != t.rows()) {
                problems.add(name + ": archive has " + c.rowsOf(t.schema(), t.name()) + " rows, manifest says " + t.rows());
            }
            rows += t.rows();
        }
        if (c.largeObjects() != m.largeObjects()) {
            problems.add("archive has " + c.largeObjects() + " large objects, manifest says " + m.largeObjects());
        }
        if (!problems.isEmpty()) {
            return Check.failed(TABLES, problems.size() + " difference(s): " + String.join("; ", first(problems, 5))
                    + (problems.size() > 5 ? "; ..." : ""));
        }
        return Check.ok(TABLES, m.tables().size() + " tables with table data"
                + (c.compressed() ? " (row counts not checked: pg_dump compressed the data)"
                : ", row counts equal the manifest's (" + rows + " rows)")
                + (m.largeObjects() > 0 ? ", " + m.largeObjects() + " large objects" : ""));
    }

    /**
     * BACKUP_CRITICAL_TABLES: each in the manifest, and (when the archive was read) with table
     * data in the archive that is non-empty when the table was non-empty at dump time.
     */
    static Check critical(List<TableName> critical, Manifest m, ArchiveContents c) {
        if (critical.isEmpty()) return Check.skipped(CRITICAL, CriticalTables.VARIABLE + " is not set");
        List<String> problems = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (TableName t : critical) {
            String name = CriticalTables.show(t);
            Optional<TableEntry> entry = m.tables().stream()
                    .filter(e -> e.schema().equals(t.schema()) && e.name().equals(t.name())).findFirst();
            if (entry.isEmpty()) {
                boolean leftOut = m.excludedTables() != null && m.excludedTables().contains(t);
                problems.add(name + (leftOut ? " was left out of the backup by a filter" : " is not in the backup"));
                continue;
            }
            long rows = entry.get().rows();
            if (c != null && !c.hasTableData(t.schema(), t.name())) {
                problems.add(name + " has no table data in the archive");
            } else if (c != null && !c.compressed() && rows > 0 && c.rowsOf(t.schema(), t.name()) <= 0) {
                problems.add(name + " is empty in the archive but had " + rows + " rows at dump time");
            } else {
                found.add(name + " (" + rows + " rows)");
            }
        }
        if (!problems.isEmpty()) return Check.failed(CRITICAL, String.join("; ", problems));
        return Check.ok(CRITICAL, String.join(", ", found) + (c == null ? " in the manifest" : " in the manifest and the archive"));
    }

    private static String names(List<TocEntry> entries) {
        List<String> out = new ArrayList<>();
        for (TocEntry e : first(entries, 5)) out.add((e.namespace() == null ? "" : e.namespace() + ".") + e.tag());
        return String.join(", ", out) + (entries.size() > 5 ? " and " + (entries.size() - 5) + " more" : "");
    }

    private static <T> List<T> first(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }
}
