package dev.lifeboat.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one store does with If-None-Match: * on a write: whether lifeboat sends it (until the
 * store rejects it as unsupported), and whether the store has been seen to refuse a write
 * over an existing object with it, so a commit alone keeps objects from being overwritten.
 */
final class ConditionalWrites {
    private static final Logger log = LoggerFactory.getLogger(ConditionalWrites.class);

    /** Writes the probe object with If-None-Match: *; an SdkException is the store's answer. */
    @FunctionalInterface
    interface ProbeWrite {
        void put(String key, byte[] body);
    }

    private final String store;
    private final AtomicBoolean on = new AtomicBoolean(true);
    private final Object probeLock = new Object();
    private volatile Boolean proven;

    /** For the store that {@code store} describes (for logs). */
    ConditionalWrites(String store) {
        this.store = store;
    }

    /** Whether writes carry If-None-Match: * (else each is checked for an existing object just before). */
    boolean on() {
        return on.get();
    }

    /**
     * Whether this store has been seen to refuse a write with If-None-Match: * over an existing
     * object. Found out once per store, with a small object {@code <first segment of
     * nearKey>/.conditional-write-probe} (written at most once, then kept: the next check is one
     * refused request). A store that ignores the condition turns conditional writes off; any
     * failure of the check only means "not proven".
     */
    boolean proven(String nearKey, ProbeWrite write) {
        Boolean p = proven;
        if (p != null) return p;
        synchronized (probeLock) {
            if (proven == null) proven = probe(probeKey(nearKey), write);
            return proven;
        }
    }

    static String probeKey(String nearKey) {
        int slash = nearKey.indexOf('/');
        return (slash > 0 ? nearKey.substring(0, slash + 1) : "") + ".conditional-write-probe";
    }

    private boolean probe(String key, ProbeWrite write) {
        byte[] body = "lifeboat: this store refuses to overwrite with If-None-Match: *\n".getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; attempt < 2 && on.get(); attempt++) {
            try {
                write.put(key, body);
            } catch (SdkException e) {
                if (S3Errors.status(e) == 412) return true;
                if (!refused(S3Errors.status(e), S3Errors.code(e))) {
                    log.info("{}: could not check for conditional writes ({}); checking each new object first", store, S3Errors.code(e));
                }
                return false;
            }
        }
        if (on.compareAndSet(true, false)) {
            log.warn("{} ignores If-None-Match: * (it overwrote {}); checking for an existing object just before each write instead",
                    store, key);
        }
        return false;
    }

    /** A refusal of something in the request as not supported by the store. */
    static boolean unsupported(int status, String code) {
        return status == 501 || code.equals("NotImplemented") || status == 400 && code.equals("InvalidArgument");
    }

    /** True (and conditional writes are off from now on) when the store rejects If-None-Match itself. */
    boolean refused(int status, String code) {
        if (unsupported(status, code)) {
            log.info("{} does not support conditional writes ({}); checking for an existing object instead", store, code);
            on.set(false);
            return true;
        }
        return false;
    }
}
