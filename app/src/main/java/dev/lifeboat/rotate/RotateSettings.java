package dev.lifeboat.rotate;

import dev.lifeboat.config.Env;

import java.time.Duration;

/**
 * Everything rotate reads from the environment: the retention policy, {@code BACKUP_MAX_AGE}
 * (2h: rotate refuses when the newest complete pg backup is older), {@code BACKUP_FILES_MAX_AGE}
 * (25h: the same for {@code files/} backups, which usually run daily), {@code MIRROR_KEEP_REPLACED}
 * (30d: how long copies under {@code minio-replaced/} are kept) and the grace period after
 * which lifeboat's own incomplete leftovers are removed (24h, fixed).
 */
public record RotateSettings(RetentionSettings retention, Duration maxAge, Duration filesMaxAge, Duration keepReplaced,
                             Duration leftoverGrace) {
    public static final Duration LEFTOVER_GRACE = Duration.ofHours(24);

    /** The age limit of the newest complete backup of this kind, and the variable that sets it. */
    Duration maxAge(String kind) {
        return "files".equals(kind) ? filesMaxAge : maxAge;
    }

    static String maxAgeVariable(String kind) {
        return "files".equals(kind) ? "BACKUP_FILES_MAX_AGE" : "BACKUP_MAX_AGE";
    }

    public static RotateSettings fromEnv(Env env) {
        return new RotateSettings(RetentionSettings.fromEnv(env), env.duration("BACKUP_MAX_AGE", "2h"),
                env.duration("BACKUP_FILES_MAX_AGE", "25h"), env.duration("MIRROR_KEEP_REPLACED", "30d"), LEFTOVER_GRACE);
    }
}
