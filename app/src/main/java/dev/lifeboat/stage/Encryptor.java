package dev.lifeboat.stage;

import java.io.IOException;
import java.io.OutputStream;

/** The encrypting stage: wraps a sink so that plaintext written in comes out as an OpenPGP message. */
@FunctionalInterface
public interface Encryptor {
    /** Closing the returned stream finishes every OpenPGP layer and closes {@code out}. */
    OutputStream encrypt(OutputStream out, String literalName) throws IOException;
}
