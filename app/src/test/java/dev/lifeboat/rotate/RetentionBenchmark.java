package dev.lifeboat.rotate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Not a test: how long planning 100,000 backups takes (hourly for ~11 years, every window on,
 * Europe/Berlin), printed for five rounds. Run from {@code app/}:
 * {@code mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt && java -cp
 * "target/classes:target/test-classes:$(cat /tmp/cp.txt)" dev.lifeboat.rotate.RetentionBenchmark}
 */
public final class RetentionBenchmark {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<RetentionCandidate> backups = new ArrayList<>(n);
        Instant start = Instant.parse("2015-01-01T00:07:00Z");
        for (int i = 0; i < n; i++) backups.add(RetentionCases.backup(start.plus(Duration.ofHours(i)), i % 1000 == 0 ? "pre-deploy" : null, i % 24 == 0));
        Instant now = backups.get(n - 1).time().plus(Duration.ofMinutes(30));
        RetentionSettings s = new RetentionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(365), Duration.ofDays(3650),
                Duration.ofDays(36500), 3, Duration.ofDays(30), Set.of("hold"), Optional.empty(), ZoneId.of("Europe/Berlin"));
        RetentionPolicy policy = new RetentionPolicy(s);
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            RetentionPlan plan = policy.plan(backups, now);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("round %d: planned %d backups in %d ms (%d kept)%n", round, n, ms, plan.kept().size());
        }
    }
}
