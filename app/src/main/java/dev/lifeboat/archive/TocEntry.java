package dev.lifeboat.archive;

/** One entry of the archive's table of contents (the parts lifeboat uses). */
public record TocEntry(int dumpId, boolean hasData, String desc, String namespace, String tag, String owner) {
    public boolean isTableData() {
        return "TABLE DATA".equals(desc);
    }

    public boolean isLargeObjects() {
        return "BLOBS".equals(desc) || "LARGE OBJECTS".equals(desc);
    }
}
