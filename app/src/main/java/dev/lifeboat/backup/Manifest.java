package dev.lifeboat.backup;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.json.Json;

import java.io.IOException;
import java.util.List;

/**
 * The manifest ({@code lifeboat-manifest/1}): written last, the commit marker of a backup.
 * It describes exactly what the dump holds, so that verify and drill compare against it
 * exactly. It never holds a secret.
 */
public record Manifest(
        String format,
        String kind,
        String source,
        String tag,
        StoredObject dump,
        StoredObject globals,
        String started,
        String finished,
        String snapshotTime,
        double durationSeconds,
        String host,
        String database,
        String serverVersion,
        String pgDumpVersion,
        String archiveVersion,
        String encoding,
        String collate,
        String ctype,
        Compressed compression,
        Encrypted encryption,
        String signer,
        long dumpBytes,
        long storedBytes,
        String sha256,
        long largeObjects,
        String rowCounts,
        List<TableEntry> tables,
        List<TableName> excludedTables,
        Filters filters,
        String lifeboatVersion) {

    public static final String FORMAT = "lifeboat-manifest/1";

    /**
     * Writes a made-up manifest and throws it away: Jackson's classes and the serializers of
     * these records are then ready when the real one is written at the end of a backup (a
     * backup calls this on a thread of its own while the dump streams).
     */
    static void warmUp() {
        StoredObject o = new StoredObject("k", 1, "0", 1, null);
        Json.bytes(new Manifest(FORMAT, "pg", "s", "t", o, o, "t", "t", "t", 1.0, "h", "d", "v", "v", "v", "e", "c", "c",
                new Compressed("zstd", 3), new Encrypted("none", List.of("f")), "s", 1, 1, "0", 0, "copy-stream",
                List.of(new TableEntry("s", "t", 1)), List.of(new TableName("s", "t")),
                new Filters(List.of("t"), List.of(), List.of(), List.of(), List.of()), "v"));
    }

    /** One object of the backup: key, stored size, SHA-256 of the stored bytes, plaintext size. */
    public record StoredObject(String key, long bytes, String sha256, long plainBytes, String note) {}

    public record Compressed(String algorithm, int level) {}

    /** Mode {@code public-key}, {@code passphrase} or {@code none}, and the recipients' fingerprints. */
    public record Encrypted(String mode, List<String> recipients) {}

    public record TableEntry(String schema, String name, long rows) {}

    public record TableName(String schema, String name) {}

    public record Filters(List<String> table, List<String> excludeTable, List<String> excludeTableData,
                          List<String> schema, List<String> excludeSchema) {}

    public byte[] toJson() {
        return Json.bytes(this);
    }

    /** Parses and checks the format; a damaged or foreign manifest is a failed check naming the key. */
    public static Manifest parse(String key, byte[] json) {
        Manifest m;
        try {
            m = Json.read(json, Manifest.class);
        } catch (IOException e) {
            throw LifeboatException.checkFailed("manifest " + key + " is not valid JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (!FORMAT.equals(m.format())) {
            throw LifeboatException.checkFailed("manifest " + key + " has format " + m.format() + ", expected " + FORMAT);
        }
        if (m.dump() == null || m.dump().key() == null || m.dump().sha256() == null || m.tables() == null) {
            throw LifeboatException.checkFailed("manifest " + key + " lacks the dump object or the table list");
        }
        return m;
    }
}
