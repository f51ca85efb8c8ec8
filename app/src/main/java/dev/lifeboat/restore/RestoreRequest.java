package dev.lifeboat.restore;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.stage.Decryptor;

import java.util.List;

/**
 * A validated restore.
 *
 * @param target       the database to replace (DATABASE_URL or --target-url)
 * @param source       whose backups (BACKUP_SOURCE_NAME)
 * @param confirmed    the operator confirmed the target's name (--confirm or on the terminal)
 * @param safetyBackup take a pre-restore backup of the target first
 * @param tables       --table: only these tables, into a new schema restore_<ts> of the target
 * @param into         --into: restore into this new database and stop
 * @param parallelism  --jobs and --spool
 */
public record RestoreRequest(DatabaseUrl target, String source, Selection selection, Decryptor decryptor,
                             boolean confirmed, boolean safetyBackup, boolean withGlobals, boolean noOwner,
                             List<String> tables, String into, boolean dryRun, Parallelism parallelism) {
    public boolean swaps() {
        return into == null && tables.isEmpty();
    }
}
