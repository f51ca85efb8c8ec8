package dev.lifeboat.store;

import java.io.IOException;

/**
 * The store refused an object because what arrived does not match the MD5 it was sent with
 * (S3's BadDigest): the bytes changed on the way, or the MD5 given for them was not theirs.
 * Nothing was written.
 */
public final class ContentMismatchException extends IOException {
    ContentMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
