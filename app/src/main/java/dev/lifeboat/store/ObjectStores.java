package dev.lifeboat.store;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Picks the backup store from the environment: BACKUP_DIR (a directory) or BACKUP_S3_BUCKET. */
public final class ObjectStores {
    private ObjectStores() {}

    /**
     * Starts building an S3 store ({@link #fromEnv}) and its SDK client on a thread of its own:
     * building the S3 client loads much of the AWS SDK (a few tenths of a second), which a
     * command that will download through it (restore, drill) overlaps with reading its keys. It
     * makes no request. A directory store is made by {@link Opening#get}
     * itself (it creates the directory, which a run refused earlier must not do). The settings
     * are checked the same way; {@link Opening#get} throws what {@code fromEnv} threw.
     */
    public static Opening open(Env env) {
        CompletableFuture<ObjectStore> f = new CompletableFuture<>();
        if (env.get("BACKUP_DIR").isPresent() || env.get("BACKUP_S3_BUCKET").isEmpty()) return new Opening(f, env);
        Thread t = new Thread(() -> {
            try {
                ObjectStore store = fromEnv(env);
                if (store instanceof S3Store s3) s3.buildClient(); // built when first needed otherwise
                f.complete(store);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "lifeboat-store-open");
        t.setDaemon(true);
        t.start();
        return new Opening(f, null);
    }

    /** A store being built; closing it closes the store unless {@link #get} handed it out. */
    public static final class Opening implements AutoCloseable {
        private final CompletableFuture<ObjectStore> future;
        private final Env inPlace;
        private boolean handedOut;

        /** {@code inPlace}: the environment {@link #get} builds the store from itself, else null. */
        private Opening(CompletableFuture<ObjectStore> future, Env inPlace) {
            this.future = future;
            this.inPlace = inPlace;
        }

        /** The store, once built; the caller closes it. Throws the failure of {@link #fromEnv}. */
        public ObjectStore get() {
            if (inPlace != null) {
                ObjectStore store = fromEnv(inPlace);
                handedOut = true;
                return store;
            }
            try {
                ObjectStore store = future.join();
                handedOut = true;
                return store;
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error r) throw r;
                throw e;
            }
        }

        @Override
        public void close() {
            if (handedOut) return;
            future.thenAccept(store -> {
                try {
                    store.close();
                } catch (Exception ignored) {
                    // never used: nothing of it to report
                }
            });
        }
    }

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
