package dev.lifeboat.catalog;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;

/** The {@code <source>} of object keys: {@code BACKUP_SOURCE_NAME}, else the database name of {@code DATABASE_URL}. */
public final class SourceName {
    private SourceName() {}

    public static String fromEnv(Env env) {
        if (env.get("BACKUP_SOURCE_NAME").isPresent()) {
            return BackupKey.requireSource("BACKUP_SOURCE_NAME", env.get("BACKUP_SOURCE_NAME").get());
        }
        String db = DatabaseUrl.fromEnv(env, "DATABASE_URL").database();
        if (!BackupKey.isValidSource(db)) {
            throw dev.lifeboat.LifeboatException.config("the database name '" + db + "' cannot be used as a source name in "
                    + "object keys; set BACKUP_SOURCE_NAME (1-128 of A-Z, a-z, 0-9, '.', '_', '-')");
        }
        return db;
    }
}
