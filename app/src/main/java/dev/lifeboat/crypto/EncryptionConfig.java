package dev.lifeboat.crypto;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPImplementation;
import org.bouncycastle.openpgp.operator.PGPKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEKeyEncryptionMethodGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How backups are encrypted, from the environment ({@code BACKUP_ENCRYPTION},
 * {@code BACKUP_GPG_RECIPIENT}, {@code BACKUP_GPG_PUBLIC_KEY}, {@code BACKUP_GPG_PASSPHRASE},
 * {@code BACKUP_GPG_SIGNING_KEY}, {@code BACKUP_GPG_SIGNING_KEY_PASSPHRASE}). Every key is
 * found, checked and unlocked here, so a bad setting stops a backup before it starts.
 *
 * <p>Choices: a recipient is encrypted to its newest valid (unexpired, unrevoked,
 * encryption-capable) key; {@link #recipientFingerprints()} lists the recipients' primary
 * key fingerprints (what {@code gpg --list-keys} shows and what an operator configures),
 * {@link #encryptionKeyFingerprints()} the (sub)keys the session key is actually encrypted
 * to. Signing needs encryption: {@code BACKUP_ENCRYPTION=off} with a signing key is refused
 * (a signed but readable dump is not a mode we offer).
 */
public final class EncryptionConfig {
    /** Encoded S2K iteration count 0xFF: 65,011,712 bytes hashed (the OpenPGP maximum). */
    private static final int S2K_COUNT = 0xFF;

    private final String mode;
    private final List<PGPPublicKey> encryptionKeys;
    private final List<String> recipientFingerprints;
    private final char[] passphrase;
    private final EncryptingStream.Signer signer;
    private final String signerFingerprint;
    private final SecureRandom random = new SecureRandom();

    private EncryptionConfig(String mode, List<PGPPublicKey> encryptionKeys, List<String> recipientFingerprints,
                             char[] passphrase, EncryptingStream.Signer signer, String signerFingerprint) {
        this.mode = mode;
        this.encryptionKeys = encryptionKeys;
        this.recipientFingerprints = recipientFingerprints;
        this.passphrase = passphrase;
        this.signer = signer;
        this.signerFingerprint = signerFingerprint;
    }

    public static EncryptionConfig fromEnv(Env env) {
        String setting = env.choice("BACKUP_ENCRYPTION", "auto", "auto", "off");
        List<String> recipients = env.list("BACKUP_GPG_RECIPIENT");
        boolean wantsSigning = env.isSet("BACKUP_GPG_SIGNING_KEY");
        if (setting.equals("off")) {
            if (wantsSigning) {
                throw LifeboatException.config("BACKUP_GPG_SIGNING_KEY is set but BACKUP_ENCRYPTION=off; lifeboat signs only"
                        + " encrypted backups (unset BACKUP_GPG_SIGNING_KEY, or configure encryption)");
            }
            return new EncryptionConfig("none", List.of(), List.of(), null, null, null);
        }
        Optional<String> passphrase = env.secret("BACKUP_GPG_PASSPHRASE");
        if (!recipients.isEmpty() && passphrase.isPresent()) {
            throw LifeboatException.config("BACKUP_GPG_RECIPIENT and BACKUP_GPG_PASSPHRASE are both set; set only one"
                    + " (public-key or passphrase encryption)");
        }
        if (recipients.isEmpty() && passphrase.isEmpty()) {
            throw LifeboatException.config("BACKUP_ENCRYPTION=auto but neither BACKUP_GPG_RECIPIENT nor"
                    + " BACKUP_GPG_PASSPHRASE is set; set one, or BACKUP_ENCRYPTION=off for an explicitly unencrypted backup");
        }
        Optional<SigningKey> signing = SigningKey.fromEnv(env);
        EncryptingStream.Signer signer = signing.map(SigningKey::signer).orElse(null);
        String signerFpr = signing.map(SigningKey::fingerprint).orElse(null);
        if (passphrase.isPresent()) {
            return new EncryptionConfig("passphrase", List.of(), List.of(), passphrase.get().toCharArray(), signer, signerFpr);
        }
        PublicKeys keys = PublicKeys.fromEnv(env);
        List<PublicKeys.Match> matches = new ArrayList<>();
        for (String name : recipients) {
            matches.add(keys.find(name, "BACKUP_GPG_RECIPIENT").orElseThrow(() -> LifeboatException.config(
                    "BACKUP_GPG_RECIPIENT: no key for '" + name + "' in " + keys.source())));
        }
        awaitPrimaryProofs(matches);
        List<PGPPublicKey> encryptionKeys = new ArrayList<>();
        List<String> fingerprints = new ArrayList<>();
        for (PublicKeys.Match match : matches) {
            PGPPublicKey key = encryptionKey(match);
            if (!fingerprints.contains(match.primaryFingerprint())) {
                fingerprints.add(match.primaryFingerprint());
                encryptionKeys.add(key);
            }
        }
        RsaModuli.proveInBackground(encryptionKeys);
        EncryptionConfig config = new EncryptionConfig("public-key", List.copyOf(encryptionKeys), List.copyOf(fingerprints), null,
                signer, signerFpr);
        config.warmUpInBackground();
        return config;
    }

    /**
     * Reading a certificate verifies its self-signatures with the primary key, and Bouncy Castle
     * first proves that key's RSA modulus composite (see {@link RsaModuli}: through OpenSSL at
     * once when it can, else on a thread of its own); its default policy, built at the same first
     * use, parses its cut-off dates through the JDK's time-zone names, about a tenth of a second
     * in a JVM that has just started. The certificates are read once both are done.
     */
    private static void awaitPrimaryProofs(List<PublicKeys.Match> matches) {
        Thread proofs = RsaModuli.proveInBackground(matches.stream().map(m -> m.ring().getPublicKey()).distinct().toList());
        OpenPGPImplementation.getInstance();
        if (proofs == null) return;
        try {
            proofs.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the certificates are read all the same; the proof is redone there
        }
    }

    /** The key named (when it is a valid encryption subkey), else the certificate's newest valid encryption key. */
    private static PGPPublicKey encryptionKey(PublicKeys.Match match) {
        List<OpenPGPCertificate.OpenPGPComponentKey> valid;
        try {
            valid = new OpenPGPCertificate(match.ring()).getEncryptionKeys();
        } catch (RuntimeException e) {
            valid = List.of();
        }
        for (OpenPGPCertificate.OpenPGPComponentKey k : valid) {
            if (!k.isPrimaryKey() && k.getPGPPublicKey().getKeyID() == match.matched().getKeyID()) return k.getPGPPublicKey();
        }
        return valid.stream().max(Comparator.comparing(OpenPGPCertificate.OpenPGPComponentKey::getCreationTime))
                .map(OpenPGPCertificate.OpenPGPComponentKey::getPGPPublicKey)
                .orElseThrow(() -> LifeboatException.config("BACKUP_GPG_RECIPIENT: key " + match.primaryFingerprint()
                        + " " + PublicKeys.userIds(match.ring()) + " has no usable encryption key"
                        + " (no encryption subkey, or it is expired or revoked)"));
    }

    public boolean enabled() {
        return !mode.equals("none");
    }

    /** "public-key", "passphrase" or "none". */
    public String mode() {
        return mode;
    }

    /** The object key suffix this configuration adds: ".gpg", or "" when encryption is off. */
    public String suffix() {
        return enabled() ? ".gpg" : "";
    }

    /** Primary key fingerprints of the recipients (upper-case hex), in configuration order. */
    public List<String> recipientFingerprints() {
        return recipientFingerprints;
    }

    /** Fingerprints of the (sub)keys each message is encrypted to, one per recipient. */
    public List<String> encryptionKeyFingerprints() {
        return encryptionKeys.stream().map(KeyIds::fingerprint).toList();
    }

    /** Primary key fingerprint of the signing key, when backups are signed. */
    public Optional<String> signerFingerprint() {
        return Optional.ofNullable(signerFingerprint);
    }

    /**
     * Writing plaintext into the result writes an OpenPGP message to {@code out}; closing the
     * result finishes the message and closes {@code out}. With encryption off, {@code out}
     * itself is returned.
     */
    public OutputStream encrypt(OutputStream out, String literalName) throws IOException {
        if (!enabled()) return out;
        List<PGPKeyEncryptionMethodGenerator> methods = new ArrayList<>();
        if (passphrase != null) {
            try {
                methods.add(new JcePBEKeyEncryptionMethodGenerator(passphrase,
                        new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA256), S2K_COUNT)
                        .setSecureRandom(random));
            } catch (PGPException e) {
                throw new IOException("cannot set up passphrase encryption: " + e.getMessage(), e);
            }
        }
        for (PGPPublicKey key : encryptionKeys) {
            methods.add(new BcPublicKeyKeyEncryptionMethodGenerator(key).setSecureRandom(random));
        }
        return new EncryptingStream(out, methods, signer, literalName, random);
    }

    /**
     * Writes one empty message to the recipients' keys into nothing, on a thread of its own: the
     * first message of a JVM sets up Bouncy Castle's writers, seeds the random generator, readies
     * OpenSSL's AES and encrypts a session key to each key, about a twentieth of a second that a
     * backup's stream otherwise waited for after pg_dump had started. The stream then finds it
     * done. Nothing of it is kept or signed; a failure is left to the real stream to meet.
     */
    private void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                List<PGPKeyEncryptionMethodGenerator> methods = new ArrayList<>();
                for (PGPPublicKey key : encryptionKeys) {
                    methods.add(new BcPublicKeyKeyEncryptionMethodGenerator(key).setSecureRandom(random));
                }
                new EncryptingStream(OutputStream.nullOutputStream(), methods, null, "warm-up", random).close();
            } catch (IOException | RuntimeException ignored) {
                // the backup's own stream meets it again, and says what it is
            }
        }, "lifeboat-encryption-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
