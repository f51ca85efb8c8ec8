package dev.lifeboat.check;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import dev.lifeboat.ops.Notifications;
import dev.lifeboat.rotate.RotateSettings;
import dev.lifeboat.stage.Compression;
import dev.lifeboat.verify.VerifySettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code settings}: every variable the commands read before they start (BACKUP_TIMEOUT, the
 * notifiers, compression, retention, verify, drill), parsed as the commands parse them, so a
 * value that would make a cron run exit 2 fails the preflight instead. Nothing is contacted.
 */
final class SettingsCheck {
    private static final List<String> COMMANDS = List.of("backup", "mirror", "rotate", "restore", "verify", "drill");

    private SettingsCheck() {}

    interface Parse {
        void run();
    }

    static CheckResult run(Env env) {
        List<String> problems = new ArrayList<>();
        attempt(problems, () -> env.duration("BACKUP_TIMEOUT", "6h"));
        for (String command : COMMANDS) attempt(problems, () -> Notifications.from(env, command, Duration.ofSeconds(5)).close());
        attempt(problems, () -> Compression.fromEnv(env).level(env));
        attempt(problems, () -> RotateSettings.fromEnv(env));
        attempt(problems, () -> VerifySettings.fromEnv(env));
        attempt(problems, () -> env.duration("BACKUP_RTO_TARGET", "1h"));
        if (problems.isEmpty()) return CheckResult.ok("settings", "timeout, notifiers, compression, retention, verify and drill settings parse");
        return CheckResult.fail("settings", String.join("; ", problems), "fix the variable named (see README, configuration)");
    }

    private static void attempt(List<String> problems, Parse parse) {
        try {
            parse.run();
        } catch (LifeboatException e) {
            if (!problems.contains(e.getMessage())) problems.add(e.getMessage());
        }
    }
}
