package dev.lifeboat.crypto;

import java.io.IOException;

/** With {@code BACKUP_GPG_TRUSTED_SIGNERS} set: the message is unsigned, or not signed by a trusted key. */
public class UntrustedSignatureException extends IOException {
    public UntrustedSignatureException(String message) {
        super(message);
    }
}
