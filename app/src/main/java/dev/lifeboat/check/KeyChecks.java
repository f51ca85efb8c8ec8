package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.crypto.EncryptionConfig;
import dev.lifeboat.crypto.PublicKeys;
import dev.lifeboat.crypto.SecretKeys;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.util.encoders.Hex;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code encryption}: the recipients (or passphrase) and the signing key load, unlock and
 * encrypt one byte; {@code secret-keys}: on a restore host, every decryption key in
 * BACKUP_GPG_SECRET_KEY unlocks; {@code trusted-signers}: the signers' public keys are found,
 * and this host's own signing key is among them.
 */
final class KeyChecks {
    private KeyChecks() {}

    static CheckResult encryption(Env env) {
        try {
            EncryptionConfig enc = EncryptionConfig.fromEnv(env);
            if (!enc.enabled()) return CheckResult.ok("encryption", "off (BACKUP_ENCRYPTION=off): backups are stored unencrypted");
            try (OutputStream o = enc.encrypt(OutputStream.nullOutputStream(), "lifeboat-check")) {
                o.write(0);
            }
            String signed = enc.signerFingerprint().map(f -> ", signed by " + f).orElse(", not signed");
            return CheckResult.ok("encryption", enc.mode().equals("passphrase") ? "passphrase (BACKUP_GPG_PASSPHRASE)" + signed
                    : "to " + String.join(", ", enc.recipientFingerprints()) + signed);
        } catch (LifeboatException | IOException e) {
            return CheckResult.fail("encryption", e.getMessage(), encryptionFix(e.getMessage()));
        }
    }

    private static String encryptionFix(String message) {
        if (message.startsWith("BACKUP_GPG_SIGNING_KEY")) {
            return "point BACKUP_GPG_SIGNING_KEY at an armored secret key (gpg --armor --export-secret-keys FPR) and set"
                    + " BACKUP_GPG_SIGNING_KEY_PASSPHRASE if it is protected";
        }
        if (message.contains("BACKUP_GPG_RECIPIENT")) {
            return "export the recipient's public key into BACKUP_GPG_PUBLIC_KEY (gpg --armor --export FPR > file) or import it"
                    + " into the keyring, and name it in BACKUP_GPG_RECIPIENT by fingerprint";
        }
        return "set BACKUP_GPG_RECIPIENT (with BACKUP_GPG_PUBLIC_KEY) or BACKUP_GPG_PASSPHRASE, or BACKUP_ENCRYPTION=off";
    }

    static CheckResult secretKeys(Env env) {
        List<String> files = env.list("BACKUP_GPG_SECRET_KEY");
        if (files.isEmpty()) {
            return CheckResult.skip("secret-keys", "BACKUP_GPG_SECRET_KEY is not set (this host does not restore public-key backups)");
        }
        try {
            SecretKeys keys = SecretKeys.load(files.stream().map(Path::of).toList(), "BACKUP_GPG_SECRET_KEY");
            Optional<String> passphrase = env.secret("BACKUP_GPG_SECRET_KEY_PASSPHRASE");
            List<String> unlocked = new ArrayList<>();
            for (SecretKeys.Loaded l : keys.rings()) {
                for (PGPSecretKey k : l.ring()) {
                    if (k.isPrivateKeyEmpty() || !k.getPublicKey().isEncryptionKey()) continue;
                    new SecretKeys.Found(k, l.file()).unlock(passphrase, "BACKUP_GPG_SECRET_KEY_PASSPHRASE");
                    unlocked.add(keyId(k.getKeyID()) + " (" + l.file().getFileName() + ")");
                }
            }
            if (unlocked.isEmpty()) {
                return CheckResult.fail("secret-keys", "BACKUP_GPG_SECRET_KEY holds no secret key that can decrypt",
                        "export the secret key with its encryption subkey: gpg --armor --export-secret-keys FPR");
            }
            return CheckResult.ok("secret-keys", unlocked.size() + " decryption key(s) unlock: " + String.join(", ", unlocked));
        } catch (LifeboatException e) {
            return CheckResult.fail("secret-keys", e.getMessage(),
                    "set BACKUP_GPG_SECRET_KEY to the exported secret key file(s) and BACKUP_GPG_SECRET_KEY_PASSPHRASE to their passphrase");
        }
    }

    static CheckResult trustedSigners(Env env) {
        List<String> signers = env.list("BACKUP_GPG_TRUSTED_SIGNERS");
        if (signers.isEmpty()) {
            return CheckResult.skip("trusted-signers", "BACKUP_GPG_TRUSTED_SIGNERS is not set (restore, verify and drill accept unsigned backups)");
        }
        try {
            PublicKeys keys = PublicKeys.fromEnv(env);
            List<String> fingerprints = new ArrayList<>();
            for (String name : signers) {
                PublicKeys.Match m = keys.find(name, "BACKUP_GPG_TRUSTED_SIGNERS").orElseThrow(() -> LifeboatException.config(
                        "BACKUP_GPG_TRUSTED_SIGNERS: no public key for '" + name + "' in " + keys.source()));
                fingerprints.add(m.primaryFingerprint());
            }
            Optional<String> own = ownSigner(env);
            if (own.isPresent() && !fingerprints.contains(own.get())) {
                return CheckResult.fail("trusted-signers", "this host signs with " + own.get() + ", which is not in BACKUP_GPG_TRUSTED_SIGNERS"
                        + " (its own backups would be refused)", "add " + own.get() + " to BACKUP_GPG_TRUSTED_SIGNERS");
            }
            return CheckResult.ok("trusted-signers", "restore, verify and drill accept only backups signed by " + String.join(", ", fingerprints));
        } catch (LifeboatException e) {
            return CheckResult.fail("trusted-signers", e.getMessage(),
                    "put the signers' public keys in BACKUP_GPG_PUBLIC_KEY (or the keyring) and name them by fingerprint");
        }
    }

    private static Optional<String> ownSigner(Env env) {
        return env.get("BACKUP_GPG_SIGNING_KEY").map(f -> SecretKeys.load(List.of(Path.of(f)), "BACKUP_GPG_SIGNING_KEY"))
                .filter(k -> !k.isEmpty())
                .map(k -> Hex.toHexString(k.rings().get(0).ring().getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT));
    }

    static String keyId(long id) {
        return String.format(Locale.ROOT, "0x%016X", id);
    }
}
