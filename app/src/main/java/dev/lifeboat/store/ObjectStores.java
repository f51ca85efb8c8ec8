package dev.lifeboat.store;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Picks the backup store from the environment: BACKUP_DIR (a directory) or BACKUP_S3_BUCKET. */
public final class ObjectStores {
    private ObjectStores() {}

    /**
     * {@link LocalStore} when BACKUP_DIR is set, {@link S3Store} when BACKUP_S3_BUCKET is set.
     * Neither, both, or a malformed BACKUP_S3_* variable is a config error (exit 2) naming it.
     */
    public static ObjectStore fromEnv(Env env) {
        boolean dir = env.get("BACKUP_DIR").isPresent();
        boolean bucket = env.get("BACKUP_S3_BUCKET").isPresent();
        if (dir && bucket) {
            throw LifeboatException.config("BACKUP_DIR and BACKUP_S3_BUCKET are both set (set only one: the backup store is a directory or a bucket)");
        }
        if (dir) {
            String value = env.get("BACKUP_DIR").get();
            try {
                return new LocalStore(Path.of(value));
            } catch (IOException | InvalidPathException e) {
                throw LifeboatException.config("BACKUP_DIR=" + value + " is not a usable directory (" + e.getMessage() + ")");
            }
        }
        if (bucket) return S3Store.fromEnv(env);
        throw LifeboatException.config("BACKUP_S3_BUCKET or BACKUP_DIR must be set (the backup store: an S3 bucket, or a local directory)");
    }
}
