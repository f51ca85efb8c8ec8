package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest.TableName;
import dev.lifeboat.config.Env;

import java.time.Duration;
import java.util.List;

/**
 * What verify reads from the environment besides the keys: {@code BACKUP_MAX_AGE} (default
 * 2h; the newest complete backup must be younger), {@code BACKUP_FILES_MAX_AGE} (default 25h, the
 * same for files backups, as rotate reads it) and {@code BACKUP_CRITICAL_TABLES}.
 */
public record VerifySettings(Duration maxAge, List<TableName> criticalTables, Duration filesMaxAge) {
    public VerifySettings {
        criticalTables = List.copyOf(criticalTables);
        if (filesMaxAge == null) filesMaxAge = Duration.ofHours(25);
    }

    public VerifySettings(Duration maxAge, List<TableName> criticalTables) {
        this(maxAge, criticalTables, null);
    }

    public static VerifySettings fromEnv(Env env) {
        return new VerifySettings(env.duration("BACKUP_MAX_AGE", "2h"),
                CriticalTables.parse(env.list(CriticalTables.VARIABLE)), env.duration("BACKUP_FILES_MAX_AGE", "25h"));
    }

    /** The age limit of the newest backup of a kind, and the variable that sets it. */
    Duration maxAge(String kind) {
        return dev.lifeboat.catalog.BackupKey.FILES.equals(kind) ? filesMaxAge : maxAge;
    }

    static String maxAgeVariable(String kind) {
        return dev.lifeboat.catalog.BackupKey.FILES.equals(kind) ? "BACKUP_FILES_MAX_AGE" : "BACKUP_MAX_AGE";
    }
}
