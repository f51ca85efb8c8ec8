package dev.lifeboat.verify;

/**
 * {@code quick}: manifest, size, checksum (and the globals object's), critical tables in the
 * manifest, shrink, age; no key needed. {@code full}: also decrypts (OpenPGP integrity and,
 * with trusted signers, the signature), decompresses, reads every archive block and compares
 * the archive with the manifest.
 */
public enum VerifyLevel {
    QUICK, FULL;

    @com.fasterxml.jackson.annotation.JsonValue
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
