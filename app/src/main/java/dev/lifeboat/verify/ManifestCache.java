package dev.lifeboat.verify;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.Map;

/** Reads each backup's manifest at most once per run (verify --all compares each with its predecessor). */
final class ManifestCache {
    /** A parsed manifest, or why there is none (the text of a failed manifest layer). */
    record Read(Manifest manifest, String problem) {}

    private final ObjectStore store;
    private final Map<String, Read> cache = new HashMap<>();

    ManifestCache(ObjectStore store) {
        this.store = store;
    }

    Read read(CatalogEntry entry) {
        return cache.computeIfAbsent(entry.key().stem(), stem -> load(entry));
    }

    private Read load(CatalogEntry entry) {
        String key = entry.key().manifestKey();
        if (!entry.complete()) {
            return new Read(null, "no manifest " + key + ": the backup is incomplete (still running, or left behind by a run"
                    + " that died)");
        }
        try {
            return new Read(Manifest.parse(key, store.read(key)), null);
        } catch (NoSuchFileException e) {
            return new Read(null, "no manifest " + key + " (removed while verify ran?)");
        } catch (LifeboatException e) {
            if (e.exitCode() != dev.lifeboat.ExitCode.CHECK_FAILED) throw e;
            return new Read(null, e.getMessage());
        } catch (IOException e) {
            throw LifeboatException.failed("verify: reading " + key + " from the store failed: " + e.getMessage(), e);
        }
    }
}
