package dev.lifeboat.backup;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.catalog.SourceName;
import dev.lifeboat.crypto.EncryptionConfig;
import dev.lifeboat.pg.DumpFilter;
import dev.lifeboat.stage.Compression;

import java.util.Map;

/**
 * Turns the environment (and the command's flags) into a validated {@link BackupRequest};
 * every problem stops here, before anything is touched, with one line naming the variable.
 */
public final class BackupSettings {
    private BackupSettings() {}

    public static BackupRequest fromEnv(Env env, String tag, DumpFilter filter) {
        return forDatabase(env, DatabaseUrl.fromEnv(env, "DATABASE_URL"), SourceName.fromEnv(env), tag, filter);
    }

    /** The same settings for another database (restore's safety backup of its target). */
    public static BackupRequest forDatabase(Env env, DatabaseUrl db, String source, String tag, DumpFilter filter) {
        Compression compression = Compression.fromEnv(env);
        int level = compression.level(env);
        EncryptionConfig enc = EncryptionConfig.fromEnv(env);
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new BackupRequest(db, source, tag == null ? null : BackupKey.requireTag("--tag", tag), filter, compression, level, workers,
                enc.enabled() ? enc::encrypt : null, enc.mode(), enc.recipientFingerprints(),
                enc.signerFingerprint().orElse(null), Map.of(),
                env.choice("BACKUP_ROW_COUNTS", BackupRequest.COPY_STREAM, BackupRequest.COPY_STREAM, BackupRequest.SNAPSHOT));
    }
}
