package dev.lifeboat.ops;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where lock files live: BACKUP_LOCK_DIR, else {@code $XDG_RUNTIME_DIR/lifeboat}, else
 * {@code /tmp/lifeboat-<uid>} (writable by a non-root cron user). Created with mode 0700. The
 * shared-/tmp default is refused when it is a symlink or belongs to another user.
 */
public final class LockDir {
    private LockDir() {}

    public static Path resolve(Env env) {
        if (env.get("BACKUP_LOCK_DIR").isPresent()) return ensure(Path.of(env.get("BACKUP_LOCK_DIR").get()), "BACKUP_LOCK_DIR", false);
        if (env.get("XDG_RUNTIME_DIR").isPresent()) return ensure(Path.of(env.get("XDG_RUNTIME_DIR").get(), "lifeboat"), "XDG_RUNTIME_DIR", false);
        return ensure(Path.of("/tmp", "lifeboat-" + Host.uid()), "BACKUP_LOCK_DIR", true);
    }

    static Path ensure(Path dir, String variable, boolean mustBeOwn) {
        try {
            if (dir.getParent() != null) Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && (mustBeOwn || !Files.isDirectory(dir))) {
                    throw LifeboatException.config(variable + ": lock directory " + dir + " is not a directory");
                }
                if (mustBeOwn && !String.valueOf(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).equals(Host.uid())) {
                    throw LifeboatException.config(variable + ": lock directory " + dir + " belongs to another user (set BACKUP_LOCK_DIR)");
                }
            }
            return dir;
        } catch (IOException | UnsupportedOperationException e) {
            throw LifeboatException.config(variable + ": cannot create lock directory " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
