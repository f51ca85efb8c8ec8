package dev.lifeboat.crypto;

import java.io.IOException;

/**
 * An OpenPGP message failed its integrity check (MDC, signature, or a structure that cannot
 * be parsed after decryption): it was altered or truncated. Never a clean end of stream.
 */
public class IntegrityException extends IOException {
    public static final String MESSAGE = "OpenPGP integrity check failed: the object was altered or truncated";

    public IntegrityException(String detail, Throwable cause) {
        super(detail == null ? MESSAGE : MESSAGE + " (" + detail + ")", cause);
    }

    public IntegrityException(String detail) {
        this(detail, null);
    }
}
