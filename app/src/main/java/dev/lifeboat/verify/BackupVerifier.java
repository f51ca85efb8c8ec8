package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The layers of one backup, in report order: manifest, size, checksum, then at level full
 * decrypt, signature, decompress, archive, tables; then critical, globals, shrink. The dump is
 * read once, streaming; a layer that could not run because an earlier one failed is reported
 * as skipped, naming that layer.
 */
final class BackupVerifier {
    static final String MANIFEST = "manifest";
    static final String SIZE = "size";
    static final String CHECKSUM = "checksum";
    static final String GLOBALS = "globals";

    private final ObjectStore store;
    private final VerifySettings settings;
    private final DecryptionConfig decryption;
    private final ManifestCache manifests;

    BackupVerifier(ObjectStore store, VerifySettings settings, DecryptionConfig decryption, ManifestCache manifests) {
        this.store = store;
        this.settings = settings;
        this.decryption = decryption;
        this.manifests = manifests;
    }

    List<Check> verify(CatalogEntry entry, VerifyLevel level, Optional<CatalogEntry> previous, Double maxShrink)
            throws IOException {
        List<Check> checks = new ArrayList<>();
        ManifestCache.Read read = manifests.read(entry);
        if (read.manifest() == null) {
            checks.add(Check.failed(MANIFEST, read.problem()));
            return checks;
        }
        Manifest m = read.manifest();
        String dumpKey = m.dump().key();
        if (!dumpKey.startsWith(entry.key().stem() + ".")) {
            checks.add(Check.failed(MANIFEST, "the manifest names " + dumpKey + ", which is not an object of this backup"));
            return checks;
        }
        checks.add(Check.ok(MANIFEST, m.format() + ", " + m.tables().size() + " tables, snapshot " + m.snapshotTime()
                + ", encryption " + (m.encryption() == null ? "unknown" : m.encryption().mode())));
        Optional<ObjectInfo> stat = store.stat(dumpKey);
        ObjectScan.Result scan = null;
        if (stat.isEmpty()) {
            checks.add(Check.failed(SIZE, "the dump object " + dumpKey + " is missing"));
            checks.add(Check.skipped(CHECKSUM, "no dump object"));
        } else {
            checks.add(sizeCheck(SIZE, stat.get().size(), m.storedBytes()));
            scan = level == VerifyLevel.FULL ? ObjectScan.decode(store, dumpKey, decryption, true)
                    : ObjectScan.checksum(store, dumpKey);
            checks.add(checksumCheck(CHECKSUM, scan, m.sha256()));
        }
        if (level == VerifyLevel.FULL) checks.addAll(StreamChecks.of(m, dumpKey, scan, decryption));
        checks.add(ContentChecks.critical(settings.criticalTables(), m, scan == null ? null : scan.contents()));
        checks.add(globals(m, level));
        checks.add(ShrinkCheck.of(m, previous.map(p -> manifests.read(p).manifest()), maxShrink));
        return checks;
    }

    private Check globals(Manifest m, VerifyLevel level) throws IOException {
        Manifest.StoredObject g = m.globals();
        if (g == null || g.key() == null) return Check.skipped(GLOBALS, "the manifest lists no globals object");
        Optional<ObjectInfo> stat = store.stat(g.key());
        if (stat.isEmpty()) return Check.failed(GLOBALS, "the globals object " + g.key() + " is missing");
        if (stat.get().size() != g.bytes()) {
            return Check.failed(GLOBALS, g.key() + " has " + stat.get().size() + " bytes, manifest says " + g.bytes());
        }
        ObjectScan.Result scan = level == VerifyLevel.FULL ? ObjectScan.decode(store, g.key(), decryption, false)
                : ObjectScan.checksum(store, g.key());
        if (!scan.sha256().equals(g.sha256())) {
            return Check.failed(GLOBALS, g.key() + " has sha256 " + scan.sha256() + ", manifest says " + g.sha256());
        }
        if (!scan.failures().isEmpty()) {
            Map.Entry<String, String> f = scan.failures().entrySet().iterator().next();
            return Check.failed(GLOBALS, g.key() + ": " + f.getKey() + ": " + f.getValue());
        }
        if (level == VerifyLevel.FULL && scan.plainBytes() != g.plainBytes()) {
            return Check.failed(GLOBALS, g.key() + " decodes to " + scan.plainBytes() + " bytes, manifest says " + g.plainBytes());
        }
        return Check.ok(GLOBALS, "sha256 matches (" + Units.bytes(g.bytes()) + ")"
                + (level == VerifyLevel.FULL ? ", decodes to " + Units.bytes(g.plainBytes()) : ""));
    }

    static Check sizeCheck(String layer, long stored, long manifest) {
        if (stored == manifest) return Check.ok(layer, stored + " bytes, as in the manifest");
        return Check.failed(layer, "stored object has " + stored + " bytes, manifest says " + manifest);
    }

    static Check checksumCheck(String layer, ObjectScan.Result scan, String expected) {
        if (scan.sha256().equalsIgnoreCase(expected)) {
            return Check.ok(layer, "sha256 matches (" + Units.bytes(scan.storedBytes()) + ")");
        }
        return Check.failed(layer, "stored object has sha256 " + scan.sha256() + ", manifest says " + expected);
    }
}
