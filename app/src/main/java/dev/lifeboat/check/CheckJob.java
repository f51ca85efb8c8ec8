package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.ObjectStores;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lifeboat check}: a preflight of every credential, key, permission and program this host
 * needs, in the order an operator would fix them. It changes nothing it does not undo: the
 * store's test object and the probe files are removed again; no table is read, no database
 * created, no lock or metric written.
 */
public final class CheckJob {
    private final Env env;
    private final Clock clock;

    public CheckJob(Env env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public CheckReport run() {
        List<CheckResult> out = new ArrayList<>();
        DatabaseChecks.run(env, out);
        ObjectStore store = null;
        try {
            store = ObjectStores.fromEnv(env);
        } catch (LifeboatException e) {
            out.add(CheckResult.fail("store", e.getMessage(), "set BACKUP_S3_BUCKET (with BACKUP_S3_*) or BACKUP_DIR"));
        }
        try (ObjectStore s = store) {
            if (s != null) {
                boolean usable = StoreChecks.roundTrip(s, host(), out);
                out.add(usable ? StoreChecks.protection(s) : CheckResult.skip("store-protection", "the store check failed"));
                out.add(LiveBucketCheck.run(env));
                addKeyChecks(out);
                out.add(usable ? RetainedBackups.run(env, s) : CheckResult.skip("retained-backups", "the store check failed"));
            } else {
                out.add(CheckResult.skip("store-protection", "no store"));
                out.add(LiveBucketCheck.run(env));
                addKeyChecks(out);
                out.add(CheckResult.skip("retained-backups", "no store"));
            }
        } catch (IOException e) {
            // closing the store's client; nothing to report
        }
        out.add(LocalDirChecks.lockDir(env));
        out.add(LocalDirChecks.metricsFile(env));
        return CheckReport.of(out);
    }

    private void addKeyChecks(List<CheckResult> out) {
        out.add(KeyChecks.encryption(env));
        out.add(KeyChecks.secretKeys(env));
        out.add(KeyChecks.trustedSigners(env));
        out.add(KeyExpiry.run(env, clock.instant()));
    }

    /** The kernel's host name, safe for an object key. */
    static String host() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            name = "";
        }
        name = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "host" : name;
    }
}
