package dev.lifeboat.rotate;

import java.util.List;

/**
 * The golden files' text: a header, every kept backup on its own line with its reasons, and
 * runs of consecutive removed backups with the same cause folded into one line.
 */
final class GoldenFormat {
    private GoldenFormat() {}

    static String render(RetentionCases.Case c, RetentionPlan plan) {
        StringBuilder b = new StringBuilder();
        b.append("# case ").append(c.name()).append('\n');
        b.append("# now ").append(c.now()).append(", newest ").append(plan.newest().map(Object::toString).orElse("-")).append('\n');
        b.append("# policy ").append(c.settings().describe()).append('\n');
        b.append("# ").append(plan.decisions().size()).append(" backups: ").append(plan.kept().size()).append(" kept, ")
                .append(plan.removed().size()).append(" removed\n");
        List<RetentionPlan.Decision> ds = plan.decisions();
        for (int i = 0; i < ds.size(); ) {
            RetentionPlan.Decision d = ds.get(i);
            if (d.keep()) {
                b.append("keep    ").append(d.backup().id()).append(d.backup().verified() ? " [verified]" : "")
                        .append("  ").append(d.explain()).append('\n');
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < ds.size() && !ds.get(j + 1).keep() && ds.get(j + 1).removeCause().equals(d.removeCause())) j++;
            if (j == i) {
                b.append("remove  ").append(d.backup().id()).append("  ").append(d.removeCause()).append('\n');
            } else {
                b.append("remove  ").append(d.backup().id()).append(" .. ").append(ds.get(j).backup().id())
                        .append(" (").append(j - i + 1).append(")  ").append(d.removeCause()).append('\n');
            }
            i = j + 1;
        }
        return b.toString();
    }
}
