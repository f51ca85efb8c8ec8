package dev.lifeboat.backup;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.DumpFilter;
import dev.lifeboat.stage.Compression;
import dev.lifeboat.stage.Encryptor;

import java.util.List;
import java.util.Map;

/**
 * Everything one database backup needs, already validated.
 *
 * @param encryptor null for an explicitly unencrypted backup
 * @param encryptionMode {@code public-key}, {@code passphrase} or {@code none}
 * @param pgEnvExtra extra PG* settings for the child (none usually)
 * @param rowCounts how the manifest's row counts are taken: {@link #COPY_STREAM} (counted from the
 *                  COPY data as it streams through, default) or {@link #SNAPSHOT} (an independent
 *                  {@code count(*)} of every table in the dump's snapshot before pg_dump starts)
 */
public record BackupRequest(DatabaseUrl database, String source, String tag, DumpFilter filter,
                            Compression compression, int level, int workers,
                            Encryptor encryptor, String encryptionMode, List<String> recipients, String signer,
                            Map<String, String> pgEnvExtra, String rowCounts) {
    public static final String COPY_STREAM = "copy-stream";
    public static final String SNAPSHOT = "snapshot";
}
