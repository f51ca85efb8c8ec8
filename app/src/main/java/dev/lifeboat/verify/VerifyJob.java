package dev.lifeboat.verify;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.Version;
import dev.lifeboat.catalog.BackupCatalog;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.CatalogEntry;
import dev.lifeboat.config.Durations;
import dev.lifeboat.crypto.DecryptionConfig;
import dev.lifeboat.files.FilesVerifier;
import dev.lifeboat.json.Json;
import dev.lifeboat.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lifeboat verify}: checks pg backups in layers ({@link BackupVerifier}), or files backups
 * ({@link FilesVerifier}), and the age of
 * the newest complete backup, and writes {@code <stem>.verified.json} for every backup that
 * passed a full verification. Never changes anything else; throws only for a store error
 * (exit 3) or a missing or wrong key (exit 2): failed checks are in the report.
 */
public final class VerifyJob {
    private static final Logger log = LoggerFactory.getLogger("verify");
    static final String AGE = "age";

    /**
     * The store lock: readers (verify, restore, drill) hold the store shared while rotate holds it
     * exclusively, from the listing to the last read. {@code VerifyCommand} takes it as a run lock
     * ({@code LockSpec.reader}) through {@code Operations} and passes {@link #NO_LOCK}; an
     * in-process caller that holds no run lock passes its own.
     */
    @FunctionalInterface
    public interface SharedHold {
        Closeable acquire(String purpose) throws IOException;

        /** Takes no lock at all: what VerifyCommand passes until the store lock exists. */
        SharedHold NO_LOCK = purpose -> () -> { };
    }

    private final ObjectStore store;
    private final VerifySettings settings;
    private final DecryptionConfig decryption;
    private final SharedHold hold;

    /** {@code decryption} may be null when only quick verification is wanted (no key configured or needed). */
    public VerifyJob(ObjectStore store, VerifySettings settings, DecryptionConfig decryption, SharedHold hold) {
        this.store = store;
        this.settings = settings;
        this.decryption = decryption;
        this.hold = hold;
    }

    /** Full when a secret key or passphrase is configured, else quick. */
    public VerifyLevel defaultLevel() {
        return decryption != null && decryption.canDecrypt() ? VerifyLevel.FULL : VerifyLevel.QUICK;
    }

    public VerifyReport run(VerifyRequest req) throws IOException {
        VerifyLevel level = req.level() != null ? req.level() : defaultLevel();
        String source = req.selection() == VerifyRequest.Selection.KEY ? keyOf(req.key()).source() : req.source();
        String kind = req.selection() == VerifyRequest.Selection.KEY ? keyOf(req.key()).kind() : req.kind();
        try (Closeable held = hold.acquire("verify " + source)) {
            BackupCatalog catalog = BackupCatalog.read(store, kind, source);
            List<CatalogEntry> targets = targets(req, catalog);
            if (level == VerifyLevel.FULL) requireKeys(targets);
            FilesVerifier files = new FilesVerifier(store, decryption != null && decryption.canDecrypt() ? decryption::decrypt : null);
            ManifestCache manifests = new ManifestCache(store);
            BackupVerifier verifier = new BackupVerifier(store, settings, decryption, manifests);
            List<BackupVerdict> verdicts = new ArrayList<>();
            if (req.selection() == VerifyRequest.Selection.KEY && targets.isEmpty()) {
                String stem = keyOf(req.key()).stem();
                verdicts.add(new BackupVerdict(stem, level, List.of(Check.failed(BackupVerifier.MANIFEST,
                        "no backup " + stem + " in " + store.describe())), null));
            }
            for (CatalogEntry e : targets) {
                log.info("verifying {} (level {})", e.key().stem(), level.word());
                List<Check> checks = BackupKey.FILES.equals(kind) ? files.verify(e, level == VerifyLevel.FULL)
                        : verifier.verify(e, level, previous(catalog, e), req.maxShrinkPercent());
                BackupVerdict v = new BackupVerdict(e.key().stem(), level, checks, null);
                if (level == VerifyLevel.FULL && v.passed()) v = new BackupVerdict(v.key(), level, checks, writeVerified(e, v, req));
                log.info("verify {}: {}", v.key(), v.passed() ? "every layer held" : "FAILED at " + v.firstFailure().get().layer());
                verdicts.add(v);
            }
            Optional<CatalogEntry> newest = catalog.latestComplete(false);
            Long ageSeconds = newest.map(n -> Math.max(0, Duration.between(n.time(), req.now()).getSeconds())).orElse(null);
            return new VerifyReport(source, store.describe(), level, verdicts, age(catalog, req), ageSeconds);
        }
    }

    /** The backup (database or files) named by a stem or by any object key of it; exit 2 for anything else. */
    public static BackupKey keyOf(String key) {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        Optional<BackupKey> parsed = BackupKey.parse(k).or(() -> BackupKey.parse(k + BackupKey.MANIFEST_SUFFIX));
        BackupKey b = parsed.orElseThrow(() -> LifeboatException.config("'" + key + "' is not a backup key (expected a stem "
                + "like pg/<source>/2026-11-20/140000[-tag] or one of its object keys; see 'lifeboat list')"));
        return b;
    }

    private static List<CatalogEntry> targets(VerifyRequest req, BackupCatalog catalog) {
        return switch (req.selection()) {
            case KEY -> catalog.find(keyOf(req.key()).stem()).stream().toList();
            case LATEST -> catalog.latestComplete(false).stream().toList();
            case ALL -> catalog.complete();
        };
    }

    /** Before reading anything: a full verification of an encrypted backup needs a key (exit 2). */
    private void requireKeys(List<CatalogEntry> targets) {
        if (decryption != null && decryption.canDecrypt()) return;
        for (CatalogEntry e : targets) {
            if (e.objects().stream().anyMatch(o -> (e.suffixOf(o).startsWith(".dump") || e.suffixOf(o).startsWith(".tar"))
                    && o.key().endsWith(".gpg"))) {
                throw LifeboatException.config("verify --level full: " + e.key().stem() + " is encrypted; set "
                        + "BACKUP_GPG_SECRET_KEY (the secret key file) or BACKUP_GPG_PASSPHRASE, or use --level quick");
            }
        }
    }

    /** The complete backup before {@code entry}: what its dump size is compared with. */
    private static Optional<CatalogEntry> previous(BackupCatalog catalog, CatalogEntry entry) {
        List<CatalogEntry> complete = catalog.complete();
        int i = complete.indexOf(entry);
        return i > 0 ? Optional.of(complete.get(i - 1)) : Optional.empty();
    }

    private Check age(BackupCatalog catalog, VerifyRequest req) {
        Optional<CatalogEntry> newest = catalog.latestComplete(false);
        String limit = VerifySettings.maxAgeVariable(catalog.kind()) + "=" + Durations.format(settings.maxAge(catalog.kind()));
        if (newest.isEmpty()) {
            return Check.failed(AGE, "no complete backup under " + BackupKey.prefix(catalog.kind(), catalog.source()) + " in "
                    + store.describe() + " (is BACKUP_SOURCE_NAME right?)");
        }
        Duration age = Duration.between(newest.get().time(), req.now());
        String shown = Durations.format(age.isNegative() ? Duration.ZERO : age.withNanos(0));
        if (age.compareTo(settings.maxAge(catalog.kind())) > 0) {
            return Check.failed(AGE, "the newest complete backup " + newest.get().key().stem() + " is " + shown
                    + " old, older than " + limit);
        }
        return Check.ok(AGE, "the newest complete backup " + newest.get().key().stem() + " is " + shown + " old (" + limit + ")");
    }

    private String writeVerified(CatalogEntry e, BackupVerdict v, VerifyRequest req) throws IOException {
        VerifiedRecord record = new VerifiedRecord(VerifiedRecord.FORMAT, e.key().stem(), v.level().word(),
                req.now().toString(), "verify", v.checks(), Version.get());
        store.replace(e.key().verifiedKey(), Json.bytes(record), Map.of(ObjectStore.VERSION_METADATA, Version.get()));
        return e.key().verifiedKey();
    }
}
