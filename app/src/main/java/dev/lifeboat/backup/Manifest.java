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
