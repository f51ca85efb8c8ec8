package dev.lifeboat.crypto;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The system's OpenSSL library, libcrypto (a dependency of libpq, so wherever pg_dump is),
 * through JNA, for {@link OpenSslAes} and {@link OpenSslModuli}. Each maps the functions it
 * uses and must pass its own known-answer test before it is used; {@code LIFEBOAT_OPENSSL=off}
 * turns both off. Without it, the JCE and Bouncy Castle do the same work more slowly.
 */
final class LibCrypto {
    /** The names libcrypto goes by, newest first. */
    private static final List<String> NAMES = List.of("libcrypto.so.3", "libcrypto.so.1.1", "crypto");

    private LibCrypto() {}

    /**
     * The first libcrypto that maps {@code api} and whose wrapper passes {@code knownAnswer};
     * empty when none does, or with {@code LIFEBOAT_OPENSSL=off}.
     */
    static <A extends Library, T> Optional<T> find(Class<A> api, Function<A, T> wrap, Predicate<T> knownAnswer) {
        if ("off".equals(System.getenv("LIFEBOAT_OPENSSL"))) return Optional.empty();
        for (String name : NAMES) {
            try {
                T t = wrap.apply(Native.load(name, api));
                if (knownAnswer.test(t)) return Optional.of(t);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                // not here, or not this version: the next name, else the slower path
            }
        }
        return Optional.empty();
    }
}
