package dev.lifeboat.crypto;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.jcajce.JcaKeyBoxBuilder;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Public keys (certificates) read from armored or binary key(ring) files, or from gpg's
 * keybox ({@code pubring.kbx}). Keys are looked up the way an operator names them: a
 * fingerprint, a long or short key id (with or without 0x), or a part of a user id.
 */
public final class PublicKeys {
    /** A key found by a name: its certificate and the (primary or sub) key the name matched. */
    public record Match(PGPPublicKeyRing ring, PGPPublicKey matched) {
        public String primaryFingerprint() {
            return KeyIds.fingerprint(ring.getPublicKey());
        }
    }

    private final List<PGPPublicKeyRing> rings;
    private final String source;

    private PublicKeys(List<PGPPublicKeyRing> rings, String source) {
        this.rings = rings;
        this.source = source;
    }

    /**
     * The files of {@code BACKUP_GPG_PUBLIC_KEY}, or else the gpg keyring of {@code GNUPGHOME}
     * (or {@code ~/.gnupg}): {@code pubring.kbx}, and {@code pubring.gpg} where present. A
     * keyring that does not exist is an empty set of keys (a lookup then names the path).
     */
    public static PublicKeys fromEnv(Env env) {
        List<String> given = env.list("BACKUP_GPG_PUBLIC_KEY");
        if (!given.isEmpty()) {
            return load(given.stream().map(Path::of).toList(), "BACKUP_GPG_PUBLIC_KEY");
        }
        Path home = env.get("GNUPGHOME").map(Path::of)
                .orElseGet(() -> Path.of(env.get("HOME").orElse(System.getProperty("user.home")), ".gnupg"));
        List<Path> files = new ArrayList<>();
        for (String name : List.of("pubring.kbx", "pubring.gpg")) {
            if (Files.isRegularFile(home.resolve(name))) files.add(home.resolve(name));
        }
        if (files.isEmpty()) {
            return new PublicKeys(List.of(), "the gpg keyring " + home.resolve("pubring.kbx")
                    + " (not found; set BACKUP_GPG_PUBLIC_KEY or GNUPGHOME)");
        }
        PublicKeys keys = load(files, "the gpg keyring");
        return new PublicKeys(keys.rings, "the gpg keyring " + describe(files));
    }

    /** Reads every file; one that cannot be read or parsed is a configuration error naming it. */
    public static PublicKeys load(List<Path> files, String variable) {
        Map<String, PGPPublicKeyRing> byFingerprint = new LinkedHashMap<>();
        for (Path file : files) {
            List<PGPPublicKeyRing> found = readFile(file, variable);
            if (found.isEmpty()) {
                throw LifeboatException.config(variable + ": " + file + " holds no OpenPGP public key");
            }
            for (PGPPublicKeyRing ring : found) {
                byFingerprint.putIfAbsent(KeyIds.fingerprint(ring.getPublicKey()), ring);
            }
        }
        return new PublicKeys(List.copyOf(byFingerprint.values()), variable + " (" + describe(files) + ")");
    }

    public List<PGPPublicKeyRing> rings() {
        return rings;
    }

    /** Where the keys came from, for messages: the variable and the files. */
    public String source() {
        return source;
    }

    /**
     * The one certificate that {@code name} designates; empty when none does. A user-id part
     * that matches several certificates is a configuration error ({@code variable} named).
     */
    public Optional<Match> find(String name, String variable) {
        String hex = KeyIds.normalizeHex(name);
        List<Match> matches = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            for (PGPPublicKey key : ring) {
                if (matchesId(key, hex)) {
                    matches.add(new Match(ring, key));
                    break;
                }
            }
        }
        if (matches.isEmpty() && !(KeyIds.isHex(hex) && (hex.length() == 8 || hex.length() == 16
                || hex.length() == 40 || hex.length() == 64))) {
            String needle = name.toLowerCase(Locale.ROOT);
            for (PGPPublicKeyRing ring : rings) {
                if (userIds(ring).stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).contains(needle))) {
                    matches.add(new Match(ring, ring.getPublicKey()));
                }
            }
        }
        if (matches.size() > 1) {
            throw LifeboatException.config(variable + ": '" + name + "' matches several keys ("
                    + matches.stream().map(Match::primaryFingerprint).collect(Collectors.joining(", "))
                    + "); name one by its fingerprint");
        }
        return matches.stream().findFirst();
    }

    static List<String> userIds(PGPPublicKeyRing ring) {
        List<String> out = new ArrayList<>();
        ring.getPublicKey().getRawUserIDs().forEachRemaining(raw -> out.add(new String(raw, StandardCharsets.UTF_8)));
        return out;
    }

    private static boolean matchesId(PGPPublicKey key, String hex) {
        if (!KeyIds.isHex(hex)) return false;
        switch (hex.length()) {
            case 40: case 64: return KeyIds.fingerprint(key).equals(hex);
            case 16: return key.getKeyID() == Long.parseUnsignedLong(hex, 16);
            case 8: return (key.getKeyID() & 0xFFFFFFFFL) == Long.parseLong(hex, 16);
            default: return false;
        }
    }

    private static List<PGPPublicKeyRing> readFile(Path file, String variable) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            throw LifeboatException.config(variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return isKeyBox(bytes) ? readKeyBox(bytes) : readKeyRings(bytes);
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            throw LifeboatException.config(variable + ": " + file + " is not a readable OpenPGP key file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static boolean isKeyBox(byte[] b) {
        return b.length >= 12 && b[4] == 1 && Arrays.equals(Arrays.copyOfRange(b, 8, 12),
                "KBXf".getBytes(StandardCharsets.US_ASCII));
    }

    private static List<PGPPublicKeyRing> readKeyBox(byte[] bytes) throws IOException, java.security.GeneralSecurityException {
        List<PGPPublicKeyRing> out = new ArrayList<>();
        for (KeyBlob blob : new JcaKeyBoxBuilder().build(bytes).getKeyBlobs()) {
            if (blob instanceof PublicKeyRingBlob pub) out.add(pub.getPGPPublicKeyRing());
        }
        return out;
    }

    private static List<PGPPublicKeyRing> readKeyRings(byte[] bytes) throws IOException {
        List<PGPPublicKeyRing> out = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            for (Object o : new JcaPGPObjectFactory(in)) {
                if (o instanceof PGPPublicKeyRing ring) {
                    out.add(ring);
                } else if (o instanceof PGPSecretKeyRing sec) {
                    List<PGPPublicKey> pubs = new ArrayList<>();
                    for (PGPSecretKey k : sec) pubs.add(k.getPublicKey());
                    out.add(new PGPPublicKeyRing(pubs));
                }
            }
        }
        return out;
    }

    private static String describe(List<Path> files) {
        return files.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
