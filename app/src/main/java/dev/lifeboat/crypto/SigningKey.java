package dev.lifeboat.crypto;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The backup host's signing key: {@code BACKUP_GPG_SIGNING_KEY} (one armored secret key file), unlocked at start. */
record SigningKey(EncryptingStream.Signer signer, String fingerprint) {

    static Optional<SigningKey> fromEnv(Env env) {
        Optional<String> file = env.get("BACKUP_GPG_SIGNING_KEY");
        if (file.isEmpty()) return Optional.empty();
        SecretKeys keys = SecretKeys.load(List.of(Path.of(file.get())), "BACKUP_GPG_SIGNING_KEY");
        if (keys.rings().size() != 1) {
            throw LifeboatException.config("BACKUP_GPG_SIGNING_KEY: " + file.get() + " holds " + keys.rings().size()
                    + " keys; export exactly one");
        }
        SecretKeys.Loaded loaded = keys.rings().get(0);
        String fingerprint = KeyIds.fingerprint(loaded.ring().getPublicKey());
        List<OpenPGPCertificate.OpenPGPComponentKey> signing;
        try {
            signing = new OpenPGPKey(loaded.ring()).getSigningKeys();
        } catch (RuntimeException e) {
            signing = List.of();
        }
        long keyId = signing.stream().max(Comparator.comparing(OpenPGPCertificate.OpenPGPComponentKey::getCreationTime))
                .map(k -> k.getPGPPublicKey().getKeyID())
                .orElseThrow(() -> LifeboatException.config("BACKUP_GPG_SIGNING_KEY: the key " + fingerprint + " in "
                        + file.get() + " has no usable signing key (expired, revoked or not signing-capable)"));
        SecretKeys.Found found = keys.byKeyId(keyId).orElseThrow(() -> LifeboatException.config(
                "BACKUP_GPG_SIGNING_KEY: " + file.get() + " lacks the secret part of signing key " + KeyIds.keyId(keyId)));
        PGPPrivateKey privateKey = found.unlock(env.secret("BACKUP_GPG_SIGNING_KEY_PASSPHRASE"),
                "BACKUP_GPG_SIGNING_KEY_PASSPHRASE");
        return Optional.of(new SigningKey(new EncryptingStream.Signer(privateKey, found.key().getPublicKey()), fingerprint));
    }
}
