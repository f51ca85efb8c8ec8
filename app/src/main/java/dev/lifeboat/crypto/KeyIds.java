package dev.lifeboat.crypto;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.util.encoders.Hex;

import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** How keys are named in messages and manifests: key ids as 0x + 16 hex digits, fingerprints as upper-case hex. */
final class KeyIds {
    private KeyIds() {
    }

    static String keyId(long id) {
        return String.format(Locale.ROOT, "0x%016X", id);
    }

    static String keyIds(Collection<Long> ids) {
        return ids.stream().map(KeyIds::keyId).collect(Collectors.joining(", "));
    }

    static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** A fingerprint or key id as a user may write it: spaces removed, 0x dropped, upper case. */
    static String normalizeHex(String spec) {
        String s = spec.replace(" ", "").toUpperCase(Locale.ROOT);
        if (s.startsWith("0X")) s = s.substring(2);
        return s;
    }

    static boolean isHex(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
    }
}
