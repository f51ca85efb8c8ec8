package dev.lifeboat.verify;

import java.util.List;
import java.util.Optional;

/**
 * The layers of one backup's verification, in the order they are reported. {@code verifiedKey}
 * is the {@code .verified.json} written after a passed full verification, else null.
 */
public record BackupVerdict(String key, VerifyLevel level, List<Check> checks, String verifiedKey) {
    public BackupVerdict {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().noneMatch(Check::failed);
    }

    /** The first failed layer in report order (the one the exit message names). */
    public Optional<Check> firstFailure() {
        return checks.stream().filter(Check::failed).findFirst();
    }

    public List<Check> warnings() {
        return checks.stream().filter(c -> c.status() == Check.Status.WARNING).toList();
    }
}
