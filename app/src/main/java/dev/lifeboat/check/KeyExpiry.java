package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.PublicKeys;
import dev.lifeboat.crypto.SecretKeys;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.util.encoders.Hex;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code key-expiry}: a recipient, the signing key or a secret key whose usable (sub)key expires
 * within 30 days fails, with the date. A key is usable until the latest expiry among its valid
 * encryption (signing) subkeys, capped by the primary key's. A secret key that has expired
 * already is not a failure: it is kept to read old backups after a rotation. Keys that do not
 * load are the other checks' business and are left out here.
 */
final class KeyExpiry {
    static final Duration WARN = Duration.ofDays(30);

    private record Expiring(String what, String fingerprint, Instant until) {}

    private KeyExpiry() {}

    static CheckResult run(Env env, Instant now) {
        List<Expiring> soon = new ArrayList<>();
        int looked = 0;
        Date at = Date.from(now);
        if (!env.get("BACKUP_ENCRYPTION").map("off"::equalsIgnoreCase).orElse(false)) {
            List<String> recipients = env.list("BACKUP_GPG_RECIPIENT");
            PublicKeys keys = recipients.isEmpty() ? null : quietly(() -> PublicKeys.fromEnv(env));
            for (String name : recipients) {
                Optional<PublicKeys.Match> m = keys == null ? Optional.empty() : quietly(() -> keys.find(name, "BACKUP_GPG_RECIPIENT"));
                if (m == null || m.isEmpty()) continue;
                looked++;
                usableUntil(new OpenPGPCertificate(m.get().ring()), true, at)
                        .ifPresent(u -> soon.add(new Expiring("recipient", m.get().primaryFingerprint(), u)));
            }
        }
        for (SecretKeys.Loaded l : secretRings(env, "BACKUP_GPG_SIGNING_KEY")) {
            looked++;
            usableUntil(new OpenPGPKey(l.ring()), false, at).ifPresent(u -> soon.add(new Expiring("signing key", fingerprint(l), u)));
        }
        for (SecretKeys.Loaded l : secretRings(env, "BACKUP_GPG_SECRET_KEY")) {
            looked++;
            usableUntil(new OpenPGPKey(l.ring()), true, at).filter(u -> u.isAfter(now))
                    .ifPresent(u -> soon.add(new Expiring("secret key", fingerprint(l), u)));
        }
        if (looked == 0) return CheckResult.skip("key-expiry", "no OpenPGP keys configured");
        List<Expiring> failing = soon.stream().filter(e -> e.until().isBefore(now.plus(WARN))).toList();
        if (failing.isEmpty()) {
            return CheckResult.ok("key-expiry", looked + " key(s): none expires within " + WARN.toDays() + " days");
        }
        List<String> lines = failing.stream().map(e -> e.what() + " " + e.fingerprint() + (e.until().isAfter(now) ? " expires " : " expired ")
                + e.until().toString().substring(0, 10)).toList();
        return CheckResult.fail("key-expiry", String.join("; ", lines),
                "extend the key (gpg --quick-set-expire FPR 1y, and for its subkeys gpg --quick-set-expire FPR 1y '*'),"
                        + " re-export it to every host, or rotate to a new key (README: key rotation)");
    }

    /** When the key stops being usable for encryption (or signing); empty for never; now when it is no longer usable. */
    private static Optional<Instant> usableUntil(OpenPGPCertificate cert, boolean encryption, Date at) {
        List<OpenPGPCertificate.OpenPGPComponentKey> keys;
        try {
            keys = encryption ? cert.getEncryptionKeys(at) : cert.getSigningKeys(at);
        } catch (RuntimeException e) {
            keys = List.of();
        }
        if (keys.isEmpty()) return Optional.of(at.toInstant());
        Date primary = cert.getPrimaryKey().getKeyExpirationDateAt(at);
        Instant latest = null;
        for (OpenPGPCertificate.OpenPGPComponentKey k : keys) {
            Date own = k.getKeyExpirationDateAt(at);
            Date until = own == null ? primary : primary == null ? own : own.before(primary) ? own : primary;
            if (until == null) return Optional.empty();
            if (latest == null || until.toInstant().isAfter(latest)) latest = until.toInstant();
        }
        return Optional.ofNullable(latest);
    }

    private static List<SecretKeys.Loaded> secretRings(Env env, String variable) {
        List<String> files = env.list(variable);
        if (files.isEmpty()) return List.of();
        SecretKeys keys = quietly(() -> SecretKeys.load(files.stream().map(Path::of).toList(), variable));
        return keys == null ? List.of() : keys.rings();
    }

    private static String fingerprint(SecretKeys.Loaded l) {
        return Hex.toHexString(l.ring().getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    private static <T> T quietly(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (LifeboatException | IllegalArgumentException e) {
            return null;
        }
    }
}
