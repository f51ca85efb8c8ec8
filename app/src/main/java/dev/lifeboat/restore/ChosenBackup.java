package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A complete backup picked for restore or drill, with its manifest read and checked. */
public record ChosenBackup(CatalogEntry entry, Manifest manifest) {
    /**
     * Resolves the selection: {@code --latest} ignores tagged backups (and so the pre-restore
     * safety backups); {@code --at} ignores safety backups; a key may be the stem or any object
     * key of the backup. Exit 1 when no complete backup matches.
     */
    public static ChosenBackup resolve(ObjectStore store, String source, Selection sel) throws IOException {
        BackupCatalog catalog = BackupCatalog.read(store, BackupKey.PG, source);
        Optional<CatalogEntry> entry;
        if (sel.key() != null) {
            BackupKey key = BackupKey.parse(sel.key()).or(() -> BackupKey.parse(sel.key() + BackupKey.MANIFEST_SUFFIX)).orElseThrow(() ->
                    LifeboatException.config(sel.key() + " is not a backup key (expected pg/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>])"));
            entry = catalog.findRestorable(key.stem());
        } else if (sel.at() != null) {
            entry = catalog.complete().stream()
                    .filter(e -> !e.time().isAfter(sel.at()) && !"pre-restore".equals(e.key().tag()))
                    .reduce((a, b) -> b);
        } else {
            entry = catalog.latestComplete(true);
        }
        CatalogEntry e = entry.orElseThrow(() -> LifeboatException.checkFailed("no complete backup of " + source
                + " matches " + sel.describe() + " in " + store.describe()));
        byte[] json = BackupCatalog.readManifest(store, e);
        return new ChosenBackup(e, Manifest.parse(e.key().manifestKey(), json));
    }

    public String stem() {
        return entry.key().stem();
    }

    public Duration age(Instant now) {
        return Duration.between(entry.time(), now);
    }
}
