package dev.lifeboat.crypto;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.stage.Decryptor;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEDataDecryptorFactoryBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How backups are decrypted and whose signatures they need, from the environment:
 * {@code BACKUP_GPG_SECRET_KEY} (secret key files, old keys after rotation too),
 * {@code BACKUP_GPG_SECRET_KEY_PASSPHRASE}, {@code BACKUP_GPG_PASSPHRASE} (symmetric), and
 * {@code BACKUP_GPG_TRUSTED_SIGNERS}, whose public keys come from
 * {@code BACKUP_GPG_PUBLIC_KEY} or the gpg keyring.
 */
public final class DecryptionConfig implements Decryptor {
    private final SecretKeys secretKeys;
    private final Optional<String> secretKeyPassphrase;
    private final Optional<String> passphrase;
    private final Map<Long, SignatureCheck.Trusted> trusted;
    private final List<String> trustedFingerprints;

    private DecryptionConfig(SecretKeys secretKeys, Optional<String> secretKeyPassphrase, Optional<String> passphrase,
                             Map<Long, SignatureCheck.Trusted> trusted, List<String> trustedFingerprints) {
        this.secretKeys = secretKeys;
        this.secretKeyPassphrase = secretKeyPassphrase;
        this.passphrase = passphrase;
        this.trusted = trusted;
        this.trustedFingerprints = trustedFingerprints;
    }

    public static DecryptionConfig fromEnv(Env env) {
        SecretKeys secretKeys = SecretKeys.load(env.list("BACKUP_GPG_SECRET_KEY").stream().map(Path::of).toList(),
                "BACKUP_GPG_SECRET_KEY");
        RsaModuli.proveInBackground(secretKeys.encryptionKeys().stream().map(f -> f.key().getPublicKey()).toList());
        Optional<String> secretKeyPassphrase = env.secret("BACKUP_GPG_SECRET_KEY_PASSPHRASE");
        Optional<String> passphrase = env.secret("BACKUP_GPG_PASSPHRASE");
        Map<Long, SignatureCheck.Trusted> trusted = new LinkedHashMap<>();
        List<String> fingerprints = new ArrayList<>();
        List<String> signers = env.list("BACKUP_GPG_TRUSTED_SIGNERS");
        if (!signers.isEmpty()) {
            PublicKeys keys = PublicKeys.fromEnv(env);
            for (String name : signers) {
                PublicKeys.Match match = keys.find(name, "BACKUP_GPG_TRUSTED_SIGNERS").orElseThrow(() ->
                        LifeboatException.config("BACKUP_GPG_TRUSTED_SIGNERS: no public key for '" + name + "' in "
                                + keys.source()));
                fingerprints.add(match.primaryFingerprint());
                for (PGPPublicKey key : match.ring()) {
                    trusted.put(key.getKeyID(), new SignatureCheck.Trusted(key, match.primaryFingerprint()));
                }
            }
        }
        return new DecryptionConfig(secretKeys, secretKeyPassphrase, passphrase, Map.copyOf(trusted),
                List.copyOf(fingerprints));
    }

    /** Whether any secret key or passphrase is configured. */
    public boolean canDecrypt() {
        return !secretKeys.isEmpty() || passphrase.isPresent();
    }

    /** Whether every message must carry a signature of a trusted signer. */
    @Override
    public boolean requiresSignature() {
        return !trusted.isEmpty();
    }

    /** Primary fingerprints of BACKUP_GPG_TRUSTED_SIGNERS. */
    public List<String> trustedSignerFingerprints() {
        return trustedFingerprints;
    }

    /** Key ids (0x + 16 hex digits) of every secret key configured, primary and sub keys. */
    public List<String> secretKeyIds() {
        return secretKeys.keyIds();
    }

    /**
     * Reads the message's key packets and opens the encrypted data. Throws a configuration
     * error (exit 2) naming the key ids the message is encrypted to when no configured key
     * fits, or naming the passphrase variable when it is wrong, before the data is read; an
     * {@link UntrustedSignatureException} at once when trusted signers are set and the message
     * has no signature of theirs. On failure {@code in} is left for the caller to close.
     */
    @Override
    public DecryptingStream decrypt(InputStream in) throws IOException {
        DecryptingStream.Source source = new DecryptingStream.Source(in);
        try {
            PGPEncryptedDataList list = readHeader(source);
            if (!list.isIntegrityProtected()) throw new IntegrityException("the message has no integrity protection (MDC)");
            Opened opened = open(list);
            return openInner(source, opened);
        } catch (LifeboatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw source.translate(e);
        }
    }

    /** The long key ids (0x + 16 hex digits) a message is encrypted to; empty for a passphrase-only message. */
    public static List<String> recipientKeyIds(InputStream header) throws IOException {
        DecryptingStream.Source source = new DecryptingStream.Source(header);
        try {
            List<String> ids = new ArrayList<>();
            for (PGPEncryptedData d : readHeader(source)) {
                if (d instanceof PGPPublicKeyEncryptedData pk) ids.add(KeyIds.keyId(pk.getKeyID()));
            }
            return ids;
        } catch (IOException | RuntimeException e) {
            throw source.translate(e);
        }
    }

    private static PGPEncryptedDataList readHeader(InputStream source) throws IOException {
        JcaPGPObjectFactory factory = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(source));
        Object o = factory.nextObject();
        while (o instanceof PGPMarker) o = factory.nextObject();
        if (o instanceof PGPEncryptedDataList list) return list;
        throw new IntegrityException("not an encrypted OpenPGP message"
                + (o == null ? "" : " (starts with " + o.getClass().getSimpleName() + ")"));
    }

    private record Opened(PGPEncryptedData data, InputStream clear) {
    }

    private Opened open(PGPEncryptedDataList list) throws IOException {
        List<Long> keyIds = new ArrayList<>();
        PGPPBEEncryptedData pbe = null;
        for (PGPEncryptedData d : list) {
            if (d instanceof PGPPBEEncryptedData p) {
                if (pbe == null) pbe = p;
                continue;
            }
            if (!(d instanceof PGPPublicKeyEncryptedData pk)) continue;
            keyIds.add(pk.getKeyID());
            boolean hidden = pk.getKeyID() == 0;
            List<SecretKeys.Found> candidates = hidden ? secretKeys.encryptionKeys()
                    : secretKeys.byKeyId(pk.getKeyID()).stream().toList();
            for (SecretKeys.Found found : candidates) {
                var privateKey = found.unlock(secretKeyPassphrase, "BACKUP_GPG_SECRET_KEY_PASSPHRASE");
                try {
                    var sessionKey = pk.getSessionKey(new BcPublicKeyDataDecryptorFactory(privateKey));
                    return new Opened(pk, pk.getDataStream(new FastSessionKeyDecryptor(sessionKey)));
                } catch (PGPException | RuntimeException e) {
                    if (!hidden) throw new IntegrityException("the session key for " + KeyIds.keyId(pk.getKeyID())
                            + " does not decrypt: " + e.getMessage(), e);
                }
            }
        }
        if (pbe != null && passphrase.isPresent()) {
            try {
                return new Opened(pbe, pbe.getDataStream(new JcePBEDataDecryptorFactoryBuilder(
                        new JcaPGPDigestCalculatorProviderBuilder().build()).build(passphrase.get().toCharArray())));
            } catch (PGPException | RuntimeException e) {
                throw LifeboatException.config("BACKUP_GPG_PASSPHRASE does not decrypt the backup (wrong passphrase)");
            }
        }
        throw noKey(keyIds, pbe != null);
    }

    private LifeboatException noKey(List<Long> keyIds, boolean passphraseEncrypted) {
        if (keyIds.isEmpty() && passphraseEncrypted) {
            return LifeboatException.config("the backup is encrypted with a passphrase, but BACKUP_GPG_PASSPHRASE is not set");
        }
        String what = keyIds.stream().allMatch(id -> id == 0) ? "hidden key(s) (" + keyIds.size() + ")" : "key(s) "
                + KeyIds.keyIds(keyIds);
        String keys = secretKeys.isEmpty() ? " (BACKUP_GPG_SECRET_KEY is not set)" : "";
        String alsoPassphrase = passphraseEncrypted ? " and BACKUP_GPG_PASSPHRASE is not set" : "";
        return LifeboatException.config("the backup is encrypted to " + what + ", none of which is in BACKUP_GPG_SECRET_KEY"
                + keys + alsoPassphrase);
    }

    private DecryptingStream openInner(DecryptingStream.Source source, Opened opened) throws IOException {
        JcaPGPObjectFactory factory = new JcaPGPObjectFactory(opened.clear());
        PGPOnePassSignatureList onePass = null;
        PGPSignatureList leading = null;
        Object o = factory.nextObject();
        while (!(o instanceof PGPLiteralData)) {
            if (o instanceof PGPCompressedData c) {
                try {
                    factory = new JcaPGPObjectFactory(c.getDataStream());
                } catch (PGPException e) {
                    throw new IntegrityException(e.getMessage(), e);
                }
            } else if (o instanceof PGPOnePassSignatureList l) {
                onePass = l;
            } else if (o instanceof PGPSignatureList l) {
                leading = l;
            } else if (!(o instanceof PGPMarker)) {
                throw new IntegrityException(o == null ? "no literal data" : "unexpected " + o.getClass().getSimpleName());
            }
            o = factory.nextObject();
        }
        PGPLiteralData literal = (PGPLiteralData) o;
        SignatureCheck check = trusted.isEmpty() ? null : SignatureCheck.start(onePass, leading, trusted);
        return new DecryptingStream(source, opened.data(), literal.getInputStream(), factory, check, literal.getFileName());
    }
}
