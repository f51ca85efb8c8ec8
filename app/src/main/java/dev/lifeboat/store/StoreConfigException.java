package dev.lifeboat.store;

import java.io.IOException;

/**
 * A store failure that is a configuration problem (wrong credentials, a bucket that does not
 * exist, a setting the store rejects), not a failed transfer: exit 2 rather than 3.
 */
public class StoreConfigException extends IOException {
    public StoreConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
