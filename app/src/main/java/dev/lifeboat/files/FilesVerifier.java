package dev.lifeboat.files;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.crypto.UntrustedSignatureException;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.verify.Check;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layers of {@code verify} for one files backup. Quick: {@code manifest} (format
 * {@code lifeboat-files-manifest/1}, names this backup's archive), {@code size},
 * {@code checksum} (SHA-256 of the stored archive). Full, in one streaming pass: {@code entries}
 * (the entry list, decrypted and checked when it is its own object), {@code decrypt} (OpenPGP
 * integrity, and the signature when trusted signers are set), {@code archive} (the tar reads to
 * its end, every entry is listed and every listed entry is there, names are safe, the plaintext
 * has the manifest's size) and {@code files} (every file's size and SHA-256 match the list).
 * A warning {@code changed} lists files that changed while the backup read them. Only a store
 * error (exit 3) or a missing or wrong key (exit 2) is thrown.
 */
public final class FilesVerifier {
    public static final String MANIFEST = "manifest";
    public static final String SIZE = "size";
    public static final String CHECKSUM = "checksum";
    public static final String ENTRIES = "entries";
    public static final String DECRYPT = "decrypt";
    public static final String SIGNATURE = "signature";
    public static final String ARCHIVE = "archive";
    public static final String FILES = "files";
    public static final String CHANGED = "changed";

    private final ObjectStore store;
    private final Decryptor decryptor;

    /** {@code decryptor} may be null for quick verification or unencrypted backups. */
    public FilesVerifier(ObjectStore store, Decryptor decryptor) {
        this.store = store;
        this.decryptor = decryptor;
    }

    public List<Check> verify(CatalogEntry entry, boolean full) throws IOException {
        List<Check> checks = new ArrayList<>();
        FilesManifest m;
        try {
            m = FilesManifest.parse(entry.key().manifestKey(), store.read(entry.key().manifestKey()));
        } catch (NoSuchFileException e) {
            checks.add(Check.failed(MANIFEST, "no manifest " + entry.key().manifestKey() + ": the backup is incomplete"));
            return checks;
        } catch (LifeboatException e) {
            if (e.exitCode() != ExitCode.CHECK_FAILED) throw e;
            checks.add(Check.failed(MANIFEST, e.getMessage()));
            return checks;
        }
        String key = m.archive().key();
        if (!key.startsWith(entry.key().stem() + ".")) {
            checks.add(Check.failed(MANIFEST, "the manifest names " + key + ", which is not an object of this backup"));
            return checks;
        }
        checks.add(Check.ok(MANIFEST, m.format() + ", " + m.counts().files() + " files, " + m.counts().directories()
                + " directories, " + m.counts().symlinks() + " symlinks, encryption " + m.encryption().mode()));
        Optional<ObjectInfo> stat = store.stat(key);
        if (stat.isEmpty()) {
            checks.add(Check.failed(SIZE, "the archive " + key + " is missing"));
            return checks;
        }
        checks.add(stat.get().size() == m.archive().bytes() ? Check.ok(SIZE, stat.get().size() + " bytes, as in the manifest")
                : Check.failed(SIZE, "stored object has " + stat.get().size() + " bytes, manifest says " + m.archive().bytes()));
        if (!full) {
            checks.add(checksum(TarScan.checksum(store, key), m));
        } else {
            fullLayers(m, checks);
        }
        if (!m.changedWhileRead().isEmpty()) {
            checks.add(Check.warning(CHANGED, m.changedWhileRead().size() + " file(s) changed while the backup read them, e.g. "
                    + m.changedWhileRead().get(0).path() + " (" + m.changedWhileRead().get(0).what() + ")"));
        }
        return checks;
    }

    private void fullLayers(FilesManifest m, List<Check> checks) throws IOException {
        EntryPlan plan;
        try {
            List<FileEntry> entries = EntriesObject.of(store, m, decryptor);
            plan = new EntryPlan(entries);
            checks.add(Check.ok(ENTRIES, entries.size() + " entries" + (m.entriesObject() == null ? " in the manifest"
                    : ", decrypted from " + m.entriesObject().key() + " (size and SHA-256 match)")));
        } catch (LifeboatException e) {
            if (e.exitCode() == ExitCode.USAGE) throw e;
            checks.add(Check.failed(ENTRIES, e.getMessage()));
            checks.add(checksum(TarScan.checksum(store, m.archive().key()), m));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } catch (IOException e) {
            String layer = e instanceof UntrustedSignatureException ? SIGNATURE : ENTRIES;
            checks.add(Check.failed(layer, m.entriesObject().key() + ": " + e.getMessage()));
            checks.add(checksum(TarScan.checksum(store, m.archive().key()), m));
            return;
        }
        TarScan.Result scan = TarScan.full(store, m.archive().key(), decryptor, plan);
        checks.add(checksum(scan, m));
        boolean encrypted = m.archive().key().endsWith(".gpg");
        if (scan.failedLayer() == null) {
            checks.add(encrypted ? Check.ok(DECRYPT, "the OpenPGP integrity check passed") : Check.skipped(DECRYPT, "not encrypted"));
            if (m.archive().plainBytes() > 0 && scan.plainBytes() != m.archive().plainBytes()) {
                checks.add(Check.failed(ARCHIVE, "the archive decodes to " + scan.plainBytes() + " bytes, manifest says "
                        + m.archive().plainBytes()));
            } else {
                checks.add(Check.ok(ARCHIVE, scan.entries() + " entries, each listed in the manifest and none missing"));
            }
        } else {
            checks.add(DECRYPT.equals(scan.failedLayer()) || SIGNATURE.equals(scan.failedLayer())
                    ? Check.failed(scan.failedLayer(), scan.failure())
                    : encrypted ? Check.skipped(DECRYPT, "the archive layer failed first") : Check.skipped(DECRYPT, "not encrypted"));
            if (ARCHIVE.equals(scan.failedLayer())) checks.add(Check.failed(ARCHIVE, scan.failure()));
            else if (!FILES.equals(scan.failedLayer())) checks.add(Check.skipped(ARCHIVE, "the " + scan.failedLayer() + " layer failed"));
            else checks.add(Check.ok(ARCHIVE, scan.entries() + " entries read"));
        }
        if (FILES.equals(scan.failedLayer())) checks.add(Check.failed(FILES, scan.failure()));
        else if (scan.failedLayer() == null) {
            checks.add(Check.ok(FILES, "every file's size and SHA-256 match the manifest (" + m.counts().files() + " files, "
                    + m.counts().fileBytes() + " bytes)"));
        } else {
            checks.add(Check.skipped(FILES, "the " + scan.failedLayer() + " layer failed"));
        }
    }

    private static Check checksum(TarScan.Result scan, FilesManifest m) {
        if (scan.sha256().equalsIgnoreCase(m.archive().sha256())) {
            return Check.ok(CHECKSUM, "sha256 matches (" + scan.storedBytes() + " bytes)");
        }
        return Check.failed(CHECKSUM, "stored object has sha256 " + scan.sha256() + ", manifest says " + m.archive().sha256());
    }
}
