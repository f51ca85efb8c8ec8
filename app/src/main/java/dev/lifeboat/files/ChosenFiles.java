package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.restore.Selection;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.util.Optional;

/** A complete files backup picked for restore, with its manifest read and checked. */
public record ChosenFiles(CatalogEntry entry, FilesManifest manifest) {
    /**
     * {@code --latest} is the newest complete untagged backup (as for databases); {@code --at}
     * the newest complete one at or before the time; a key may be the stem or any object key.
     * Exit 1 when no complete backup matches.
     */
    public static ChosenFiles resolve(ObjectStore store, String source, Selection sel) throws IOException {
        BackupCatalog catalog = BackupCatalog.read(store, BackupKey.FILES, source);
        Optional<CatalogEntry> entry;
        if (sel.key() != null) {
            BackupKey key = BackupKey.parse(sel.key()).or(() -> BackupKey.parse(sel.key() + BackupKey.MANIFEST_SUFFIX)).filter(k -> k.kind().equals(BackupKey.FILES)).orElseThrow(() ->
                    LifeboatException.config(sel.key() + " is not a files backup key (expected files/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>])"));
            if (!key.source().equals(source)) catalog = BackupCatalog.read(store, BackupKey.FILES, key.source());
            entry = catalog.findRestorable(key.stem());
        } else if (sel.at() != null) {
            entry = catalog.at(sel.at());
        } else {
            entry = catalog.latestComplete(true);
        }
        CatalogEntry e = entry.orElseThrow(() -> LifeboatException.checkFailed("no complete files backup of " + source
                + " matches " + sel.describe() + " in " + store.describe()));
        byte[] json = BackupCatalog.readManifest(store, e);
        return new ChosenFiles(e, FilesManifest.parse(e.key().manifestKey(), json));
    }

    public String stem() {
        return entry.key().stem();
    }
}
