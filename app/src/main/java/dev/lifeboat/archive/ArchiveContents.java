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
 * @param layout          where, in the stream, each entry's data offset field and each data block are
 */
public record ArchiveContents(String version, String database, String serverVersion, String dumpVersion,
                              boolean compressed, List<TocEntry> toc, Map<Integer, Long> rows, long largeObjects,
                              List<TocEntry> missingData, long bytes, Layout layout) {

    /**
     * Byte positions in the archive: of each TOC entry's data-offset field (a flag byte and
     * {@code offSize} bytes) and of each data block's header, by dump id. An archive written to
     * a pipe has no offsets in its TOC; writing these into a file copy lets pg_restore -j seek.
     */
    public record Layout(int offSize, Map<Integer, Long> offsetFields, Map<Integer, Long> blockStarts) {}

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
