package dev.lifeboat.files;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.json.Json;
import dev.lifeboat.restore.BackupStream;
import dev.lifeboat.stage.Compression;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.stage.EncodePipeline;
import dev.lifeboat.stage.Encryptor;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The entry list of an encrypted files backup, kept out of the plaintext manifest:
 * {@code <stem>.entries.json.gz.gpg}, a JSON array of {@link FileEntry}, gzip-compressed and
 * encrypted with the archive's encryptor. Read back through {@link BackupStream}, so its
 * size, SHA-256 and OpenPGP integrity are checked like the archive's.
 */
final class EntriesObject {
    private EntriesObject() {}

    static Manifest.StoredObject write(ObjectStore store, String key, List<FileEntry> entries, Encryptor encryptor)
            throws IOException {
        byte[] json = Json.bytes(entries);
        try (PendingObject pending = store.create(key, Map.of(ObjectStore.VERSION_METADATA, Version.get()), json.length)) {
            EncodePipeline pipe = new EncodePipeline(pending.stream(), Compression.GZIP, 6, 1, encryptor,
                    key.substring(key.lastIndexOf('/') + 1, key.length() - ".gpg".length()));
            try {
                pipe.input().write(json);
                pipe.finish();
            } catch (IOException | RuntimeException e) {
                pipe.abandon();
                throw e;
            }
            ObjectInfo stored = pending.commit();
            return new Manifest.StoredObject(stored.key(), pipe.storedBytes(), pipe.sha256(), pipe.plainBytes(), null);
        }
    }

    /** Decrypts and checks the entry list; exit 3 when it does not match the manifest. */
    static List<FileEntry> read(ObjectStore store, Manifest.StoredObject object, Decryptor decryptor)
            throws IOException, InterruptedException {
        byte[] json = BackupStream.run(store, object, decryptor, in -> in.readAllBytes());
        try {
            return Json.mapper().readValue(json, new TypeReference<List<FileEntry>>() {});
        } catch (IOException e) {
            throw LifeboatException.failed("the entry list " + object.key() + " is not valid JSON");
        }
    }

    /** The entry list of a backup: from the manifest, or decrypted from its entries object. */
    static List<FileEntry> of(ObjectStore store, FilesManifest m, Decryptor decryptor) throws IOException, InterruptedException {
        if (m.entries() != null) return m.entries();
        return read(store, m.entriesObject(), decryptor);
    }
}
