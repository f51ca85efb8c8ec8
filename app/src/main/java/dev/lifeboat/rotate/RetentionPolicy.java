package dev.lifeboat.rotate;

import dev.lifeboat.config.Durations;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Retention as a pure function: complete backups + settings + now -> keep or remove, with the
 * reasons. It reads no clock and no store. The rules (README, "Retention"):
 * <ul>
 * <li>window rules (hourly, daily, weekly, monthly, yearly): a backup is in a window of length W
 *   when it is less than W older than the <em>newest</em> backup (so a pause ages nothing out;
 *   one exactly W older is outside); in the window the newest backup of each bucket is kept;</li>
 * <li>the {@code keepLast} newest backups, and the {@code keepLast} newest verified ones;</li>
 * <li>a tagged backup while {@code now} is before its time + {@code keepTagged};</li>
 * <li>a backup with a hold tag, always;</li>
 * <li>{@code maxRetention}: a backup that is {@code maxRetention} old or older (against now) is
 *   removed whatever the rules above say, unless it is held.</li>
 * </ul>
 */
public final class RetentionPolicy {
    private static final Comparator<RetentionCandidate> NEWEST_FIRST =
            Comparator.comparing(RetentionCandidate::time).thenComparing(RetentionCandidate::id).reversed();

    private final RetentionSettings settings;

    public RetentionPolicy(RetentionSettings settings) {
        this.settings = settings;
    }

    public RetentionPlan plan(List<RetentionCandidate> backups, Instant now) {
        List<RetentionCandidate> sorted = new ArrayList<>(backups);
        sorted.sort(NEWEST_FIRST);
        Set<String> ids = new HashSet<>();
        for (RetentionCandidate c : sorted) {
            if (!ids.add(c.id())) throw new IllegalArgumentException("backup listed twice: " + c.id());
        }
        int n = sorted.size();
        List<List<KeepReason>> reasons = new ArrayList<>(n);
        for (int i = 0; i < n; i++) reasons.add(new ArrayList<>(2));
        Optional<Instant> newest = n == 0 ? Optional.empty() : Optional.of(sorted.get(0).time());
        newest.ifPresent(anchor -> windows(sorted, reasons, anchor));
        lastAndVerified(sorted, reasons);
        taggedAndHeld(sorted, reasons, now);

        Optional<Instant> cutoff = settings.maxRetention().map(now::minus);
        String maxCause = settings.maxRetention().map(d -> "older than max retention " + Durations.format(d)).orElse(null);
        List<RetentionPlan.Decision> decisions = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            RetentionCandidate c = sorted.get(i);
            List<KeepReason> r = reasons.get(i);
            boolean expired = cutoff.isPresent() && !c.time().isAfter(cutoff.get()) && !settings.held(c.tag());
            if (expired) decisions.add(new RetentionPlan.Decision(c, false, List.of(), maxCause));
            else if (r.isEmpty()) decisions.add(new RetentionPlan.Decision(c, false, List.of(), "no rule keeps it"));
            else decisions.add(new RetentionPlan.Decision(c, true, r, null));
        }
        return new RetentionPlan(decisions, now, newest, settings);
    }

    private void windows(List<RetentionCandidate> sorted, List<List<KeepReason>> reasons, Instant anchor) {
        ZoneId zone = settings.zone();
        CalendarBucket[] buckets = CalendarBucket.values();
        java.time.Duration[] windows = {settings.keepHourly(), settings.keepDaily(), settings.keepWeekly(),
                settings.keepMonthly(), settings.keepYearly()};
        for (int b = 0; b < buckets.length; b++) {
            if (windows[b].isZero()) continue;
            Instant outside = anchor.minus(windows[b]);
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < sorted.size(); i++) {
                Instant t = sorted.get(i).time();
                if (!t.isAfter(outside)) break;
                java.time.ZonedDateTime local = t.atZone(zone);
                if (seen.add(buckets[b].key(local))) reasons.get(i).add(new KeepReason(buckets[b].rule, buckets[b].label(local)));
            }
        }
    }

    private void lastAndVerified(List<RetentionCandidate> sorted, List<List<KeepReason>> reasons) {
        int last = settings.keepLast();
        String detail = Integer.toString(last);
        for (int i = 0; i < Math.min(last, sorted.size()); i++) {
            reasons.get(i).add(new KeepReason(KeepReason.Rule.LAST, detail));
        }
        int verified = 0;
        for (int i = 0; i < sorted.size() && verified < last; i++) {
            if (sorted.get(i).verified()) {
                reasons.get(i).add(new KeepReason(KeepReason.Rule.VERIFIED_LAST, detail));
                verified++;
            }
        }
    }

    private void taggedAndHeld(List<RetentionCandidate> sorted, List<List<KeepReason>> reasons, Instant now) {
        for (int i = 0; i < sorted.size(); i++) {
            RetentionCandidate c = sorted.get(i);
            if (c.tag() == null) continue;
            if (!settings.keepTagged().isZero()) {
                Instant until = c.time().plus(settings.keepTagged());
                if (until.isAfter(now)) {
                    reasons.get(i).add(new KeepReason(KeepReason.Rule.TAGGED,
                            c.tag() + " until " + LocalDate.ofInstant(until, settings.zone())));
                }
            }
            if (settings.held(c.tag())) reasons.get(i).add(new KeepReason(KeepReason.Rule.HELD, "(" + c.tag() + ")"));
        }
    }
}
