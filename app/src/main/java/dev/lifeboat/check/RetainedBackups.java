package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.crypto.SecretKeys;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code retained-backups}, on a host that restores: every complete backup of the source (pg
 * and files) is encrypted to a key that one of BACKUP_GPG_SECRET_KEY's keys opens (or, for a
 * passphrase-encrypted one, BACKUP_GPG_PASSPHRASE is set). Reads only the first 64 KiB of each
 * encrypted object (its key packets), so a rotated key that never reached this host is found
 * before the incident, cheaply.
 */
final class RetainedBackups {
    static final int HEADER_BYTES = 64 * 1024;
    private static final String HIDDEN = "0x0000000000000000";

    private RetainedBackups() {}

    static CheckResult run(Env env, ObjectStore store) {
        boolean passphrase;
        Set<String> ids;
        String source;
        try {
            passphrase = env.secret("BACKUP_GPG_PASSPHRASE").isPresent();
            List<String> files = env.list("BACKUP_GPG_SECRET_KEY");
            if (files.isEmpty() && !passphrase) {
                return CheckResult.skip("retained-backups", "neither BACKUP_GPG_SECRET_KEY nor BACKUP_GPG_PASSPHRASE is set (this host does not restore)");
            }
            ids = new TreeSet<>(SecretKeys.load(files.stream().map(Path::of).toList(), "BACKUP_GPG_SECRET_KEY").keyIds());
            source = SourceName.fromEnv(env);
        } catch (LifeboatException e) {
            return CheckResult.skip("retained-backups", "the keys or the source name do not load (" + e.getMessage() + ")");
        }
        int backups = 0;
        int objects = 0;
        List<String> unreadable = new ArrayList<>();
        try {
            for (String kind : List.of(BackupKey.PG, BackupKey.FILES)) {
                for (CatalogEntry entry : BackupCatalog.read(store, kind, source).complete()) {
                    backups++;
                    Set<String> needs = new TreeSet<>();
                    for (ObjectInfo o : entry.objects()) {
                        if (!o.key().endsWith(".gpg")) continue;
                        objects++;
                        List<String> to = recipients(store, o.key());
                        boolean opens = to.isEmpty() ? passphrase
                                : to.stream().anyMatch(id -> ids.contains(id) || id.equals(HIDDEN) && !ids.isEmpty());
                        if (!opens) needs.addAll(to.isEmpty() ? List.of("BACKUP_GPG_PASSPHRASE") : to);
                    }
                    if (!needs.isEmpty()) unreadable.add(entry.key().stem() + " (needs " + String.join(" or ", needs) + ")");
                }
            }
        } catch (IOException e) {
            return CheckResult.fail("retained-backups", "cannot read the backups in " + store.describe() + ": " + e.getMessage(),
                    "see the store check");
        }
        if (!unreadable.isEmpty()) {
            return CheckResult.fail("retained-backups", unreadable.size() + " of " + backups + " retained backup(s) open with no"
                    + " configured key: " + DatabaseChecks.shortList(unreadable),
                    "add the secret key file(s) holding those key ids to BACKUP_GPG_SECRET_KEY (comma-separated; keep the old"
                            + " keys after a rotation) and their passphrase to BACKUP_GPG_SECRET_KEY_PASSPHRASE");
        }
        return CheckResult.ok("retained-backups", backups == 0 ? "no complete backup of " + source + " in " + store.describe() + " yet"
                : "all " + backups + " retained backup(s) of " + source + " (" + objects + " encrypted objects) open with a configured key");
    }

    /** The key ids an object is encrypted to, from its first 64 KiB; an unreadable header needs "a readable header". */
    private static List<String> recipients(ObjectStore store, String key) throws IOException {
        byte[] head;
        try (InputStream in = store.open(key)) {
            head = in.readNBytes(HEADER_BYTES);
        }
        try {
            return DecryptionConfig.recipientKeyIds(new ByteArrayInputStream(head));
        } catch (IOException e) {
            return List.of("a readable OpenPGP header (" + e.getMessage() + ")");
        }
    }
}
