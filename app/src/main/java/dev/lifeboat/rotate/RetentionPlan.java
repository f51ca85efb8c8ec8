package dev.lifeboat.rotate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The policy's answer: one decision per backup, oldest first. A kept backup has at least one
 * reason; a removed one says why ({@code removeCause}).
 *
 * @param newest the newest backup's time, from which the windows were measured (empty when there was none)
 */
public record RetentionPlan(List<Decision> decisions, Instant now, Optional<Instant> newest, RetentionSettings settings) {
    public RetentionPlan {
        decisions = List.copyOf(decisions);
    }

    public record Decision(RetentionCandidate backup, boolean keep, List<KeepReason> reasons, String removeCause) {
        public Decision {
            reasons = List.copyOf(reasons);
        }

        /** The reasons as one line: "hourly 2026-11-20T14, daily 2026-11-20" or the remove cause. */
        public String explain() {
            if (!keep) return removeCause;
            StringBuilder b = new StringBuilder();
            for (KeepReason r : reasons) b.append(b.length() == 0 ? "" : ", ").append(r);
            return b.toString();
        }
    }

    public List<Decision> kept() {
        return decisions.stream().filter(Decision::keep).toList();
    }

    public List<Decision> removed() {
        return decisions.stream().filter(d -> !d.keep()).toList();
    }
}
