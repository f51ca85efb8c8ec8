package dev.lifeboat.stage;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decrypting stage: returns the plaintext of an OpenPGP message. The returned stream
 * ends (-1) only after the integrity check (and the signature, where required) passed;
 * otherwise its last read throws.
 */
@FunctionalInterface
public interface Decryptor {
    InputStream decrypt(InputStream in) throws IOException;

    /**
     * Whether every object must carry a trusted signature ({@code BACKUP_GPG_TRUSTED_SIGNERS}):
     * then an object that is not encrypted (and so not signed) is refused too.
     */
    default boolean requiresSignature() {
        return false;
    }
}
