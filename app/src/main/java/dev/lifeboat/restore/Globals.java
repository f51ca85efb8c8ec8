package dev.lifeboat.restore;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.util.List;

/**
 * {@code restore --with-globals}: replays the roles and tablespaces (pg_dumpall --globals-only)
 * with psql before the dump, so owners and privileges can be restored. Statements for roles
 * that exist already fail harmlessly ("already exists") and are counted, not fatal.
 */
final class Globals {
    private Globals() {}

    static String apply(ObjectStore store, Manifest.StoredObject globals, Decryptor decryptor, PgBinaries bins,
                        DatabaseUrl target) throws IOException, InterruptedException {
        DatabaseUrl maintenance = target.withDatabase("postgres");
        Integer code = BackupStream.run(store, globals, decryptor, plaintext -> {
            try (PgChild psql = PgChild.start(bins.psql(), List.of("--no-psqlrc", "--quiet", "--no-password",
                    "-v", "ON_ERROR_STOP=0", "--file=-"), maintenance.childEnv())) {
                plaintext.transferTo(psql.stdin());
                psql.stdin().close();
                return psql.waitFor();
            }
        });
        if (code != 0) throw LifeboatException.failed("replaying the globals (roles, tablespaces) failed (psql exit " + code + ")");
        return "globals: roles and tablespaces replayed from " + globals.key() + " (existing ones kept)";
    }
}
