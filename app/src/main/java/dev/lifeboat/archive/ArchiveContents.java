package dev.lifeboat.archive;

import java.util.List;
import java.util.Map;

/**
 * What a full read of a custom-format archive found: the header, the table of contents,
 * and per data entry the rows (COPY lines) or large objects actually present in its data block.
 *
 * @param rows            dumpId of each TABLE DATA entry whose data block was read → its row count
 * @param missingData     TOC entries that announce data but whose data block never came
 * @param compressed      whether the data blocks are compressed by pg_dump (then rows are not counted)
 */
public record ArchiveContents(String version, String database, String serverVersion, String dumpVersion,
                              boolean compressed, List<TocEntry> toc, Map<Integer, Long> rows, long largeObjects,
                              List<TocEntry> missingData, long bytes) {

    /** Rows found for a table, or -1 when its data block is absent. */
    public long rowsOf(String schema, String name) {
        for (TocEntry e : toc) {
            if (e.isTableData() && schema.equals(e.namespace()) && name.equals(e.tag())) {
                return rows.getOrDefault(e.dumpId(), -1L);
            }
        }
        return -1;
    }

    public boolean hasTableData(String schema, String name) {
        return toc.stream().anyMatch(e -> e.isTableData() && schema.equals(e.namespace()) && name.equals(e.tag()));
    }
}
