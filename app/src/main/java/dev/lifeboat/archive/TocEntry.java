package dev.lifeboat.archive;

/**
 * One entry of the archive's table of contents (the parts lifeboat uses). {@code defn} is kept
 * only for the entries drill compares (SEQUENCE SET, POLICY, ROW SECURITY), else null.
 */
public record TocEntry(int dumpId, boolean hasData, String desc, String namespace, String tag, String owner, String defn) {
    static boolean keepsDefinition(String desc) {
        return "SEQUENCE SET".equals(desc) || "POLICY".equals(desc) || "ROW SECURITY".equals(desc);
    }

    public boolean isTableData() {
        return "TABLE DATA".equals(desc);
    }

    public boolean isLargeObjects() {
        return "BLOBS".equals(desc) || "LARGE OBJECTS".equals(desc);
    }
}
