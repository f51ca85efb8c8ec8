package dev.lifeboat.crypto;

import dev.lifeboat.LifeboatException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Secret keys read from exported key files ({@code gpg --export-secret-keys [--armor]}); gpg's
 * own private-keys-v1.d store is not read. Keys stay locked until {@link #unlock} is called
 * with the passphrase, so a passphrase is only needed for the key a message actually uses.
 */
public final class SecretKeys {
    /** One secret key ring and the file it came from (for messages). */
    public record Loaded(PGPSecretKeyRing ring, Path file) {
    }

    private final List<Loaded> rings;

    private SecretKeys(List<Loaded> rings) {
        this.rings = rings;
    }

    /** Reads every file; one that cannot be read, or holds no secret key, is a configuration error naming it. */
    public static SecretKeys load(List<Path> files, String variable) {
        List<Loaded> out = new ArrayList<>();
        for (Path file : files) {
            List<PGPSecretKeyRing> found = readFile(file, variable);
            if (found.isEmpty()) {
                throw LifeboatException.config(variable + ": " + file + " holds no OpenPGP secret key"
                        + " (export one with gpg --armor --export-secret-keys)");
            }
            found.forEach(r -> out.add(new Loaded(r, file)));
        }
        return new SecretKeys(List.copyOf(out));
    }

    public List<Loaded> rings() {
        return rings;
    }

    public boolean isEmpty() {
        return rings.isEmpty();
    }

    /** The secret (primary or sub) key with this key id whose secret part is present. */
    public Optional<Found> byKeyId(long keyId) {
        for (Loaded l : rings) {
            PGPSecretKey k = l.ring().getSecretKey(keyId);
            if (k != null && !k.isPrivateKeyEmpty()) return Optional.of(new Found(k, l.file()));
        }
        return Optional.empty();
    }

    /** Every secret key usable for decryption (for messages whose recipients are hidden). */
    public List<Found> encryptionKeys() {
        List<Found> out = new ArrayList<>();
        for (Loaded l : rings) {
            for (PGPSecretKey k : l.ring()) {
                if (!k.isPrivateKeyEmpty() && k.getPublicKey().isEncryptionKey()) out.add(new Found(k, l.file()));
            }
        }
        return out;
    }

    /** Key ids (0x + 16 hex digits) of every secret key present, primary and sub keys. */
    public List<String> keyIds() {
        List<String> out = new ArrayList<>();
        for (Loaded l : rings) {
            for (PGPSecretKey k : l.ring()) {
                if (!k.isPrivateKeyEmpty()) out.add(KeyIds.keyId(k.getKeyID()));
            }
        }
        return out;
    }

    /** A secret key and its file. */
    public record Found(PGPSecretKey key, Path file) {
        /**
         * The private key, unlocked with the passphrase of {@code passphraseVariable}. A
         * protected key without a passphrase, or a wrong passphrase, is a configuration error
         * naming the variable and the key (never the passphrase).
         */
        public PGPPrivateKey unlock(Optional<String> passphrase, String passphraseVariable) {
            String id = KeyIds.keyId(key.getKeyID());
            boolean protectedKey = key.getKeyEncryptionAlgorithm() != 0 || key.getS2KUsage() != 0;
            if (protectedKey && passphrase.isEmpty()) {
                throw LifeboatException.config("the secret key " + id + " in " + file + " is protected by a passphrase, but "
                        + passphraseVariable + " is not set");
            }
            char[] pass = passphrase.map(String::toCharArray).orElse(new char[0]);
            try {
                return key.extractPrivateKey(protectedKey
                        ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(pass) : null);
            } catch (PGPException | RuntimeException e) {
                throw LifeboatException.config(passphraseVariable + " does not unlock the secret key " + id + " in " + file
                        + " (wrong passphrase?)");
            }
        }
    }

    private static List<PGPSecretKeyRing> readFile(Path file, String variable) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw LifeboatException.config(variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        List<PGPSecretKeyRing> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            for (Object o : new JcaPGPObjectFactory(in)) {
                if (o instanceof PGPSecretKeyRing ring) out.add(ring);
            }
        } catch (IOException | RuntimeException e) {
            throw LifeboatException.config(variable + ": " + file + " is not a readable OpenPGP key file ("
                    + e.getClass().getSimpleName() + ")");
        }
        return out;
    }
}
