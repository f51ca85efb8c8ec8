package dev.lifeboat.rotate;

/**
 * Why the policy keeps a backup, rendered like {@code hourly 2026-11-20T14}, {@code daily 2026-11-03},
 * {@code weekly 2026-W45}, {@code monthly 2026-11}, {@code yearly 2026}, {@code last 3},
 * {@code verified last 3}, {@code tagged pre-deploy until 2026-12-01}, {@code held (hold)}.
 */
public record KeepReason(Rule rule, String detail) {
    public enum Rule {
        HOURLY("hourly"), DAILY("daily"), WEEKLY("weekly"), MONTHLY("monthly"), YEARLY("yearly"),
        LAST("last"), VERIFIED_LAST("verified last"), TAGGED("tagged"), HELD("held");

        public final String word;

        Rule(String word) {
            this.word = word;
        }
    }

    @Override
    public String toString() {
        return rule.word + " " + detail;
    }
}
