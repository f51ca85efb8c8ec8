package dev.lifeboat.ops;

import dev.lifeboat.config.Env;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Child process for the signal test: a run that waits forever until SIGTERM cancels it. */
public final class SignalJobMain {
    public static void main(String[] args) throws Exception {
        Env env = Env.of(Map.of("BACKUP_LOCK_DIR", args[0], "BACKUP_METRICS_FILE", args[1]));
        new Operations(env, Clock.systemUTC(), System.err, OpsOptions.defaults().withTerminal(false))
                .run("backup", "shop", LockSpec.backup("shop"), ctx -> {
                    ctx.onCancel(() -> {
                        System.out.println("aborted upload");
                        System.out.flush();
                    });
                    System.out.println("ready");
                    System.out.flush();
                    new CountDownLatch(1).await();
                    return null;
                });
    }
}
