package dev.lifeboat.check;

import java.util.List;

/** Every check's result in order, and how many failed ({@code --json} prints this). */
public record CheckReport(String status, int failed, int passed, int skipped, List<CheckResult> checks) {
    public static CheckReport of(List<CheckResult> checks) {
        int failed = (int) checks.stream().filter(CheckResult::failed).count();
        int skipped = (int) checks.stream().filter(c -> c.status() == CheckResult.Status.SKIP).count();
        return new CheckReport(failed == 0 ? "ok" : "failed", failed, checks.size() - failed - skipped, skipped, List.copyOf(checks));
    }

    public List<String> failedNames() {
        return checks.stream().filter(CheckResult::failed).map(CheckResult::name).distinct().toList();
    }
}
