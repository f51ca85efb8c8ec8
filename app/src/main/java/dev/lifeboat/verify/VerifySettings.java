package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest.TableName;
import dev.lifeboat.config.Env;

import java.time.Duration;
import java.util.List;

/**
 * What verify reads from the environment besides the keys: {@code BACKUP_MAX_AGE} (default
 * 2h; the newest complete backup must be younger) and {@code BACKUP_CRITICAL_TABLES}.
 */
public record VerifySettings(Duration maxAge, List<TableName> criticalTables) {
    public VerifySettings {
        criticalTables = List.copyOf(criticalTables);
    }

    public static VerifySettings fromEnv(Env env) {
        return new VerifySettings(env.duration("BACKUP_MAX_AGE", "2h"),
                CriticalTables.parse(env.list(CriticalTables.VARIABLE)));
    }
}
