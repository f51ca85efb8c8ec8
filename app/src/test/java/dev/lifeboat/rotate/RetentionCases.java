package dev.lifeboat.rotate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** The fixed synthetic backup lists and policies that the golden files describe. */
final class RetentionCases {
    record Case(String name, List<RetentionCandidate> backups, RetentionSettings settings, Instant now) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private RetentionCases() {}

    static List<Case> all() {
        List<RetentionCandidate> hourly = hourly400WithGaps();
        Instant last = hourly.get(hourly.size() - 1).time();
        return List.of(
                new Case("hourly-400d-gaps-defaults", hourly, RetentionSettings.defaults(), last.plus(20, ChronoUnit.MINUTES)),
                new Case("hourly-400d-gaps-paused-45d", hourly, RetentionSettings.defaults(), last.plus(45, ChronoUnit.DAYS)),
                new Case("hourly-400d-gaps-all-windows-berlin", hourly,
                        settings(Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(84), Duration.ofDays(360), Duration.ofDays(5 * 365),
                                5, Duration.ofDays(30), Set.of("hold"), Optional.empty(), BERLIN),
                        last.plus(20, ChronoUnit.MINUTES)),
                new Case("irregular-manual-new-york", irregular(),
                        settings(Duration.ofDays(2), Duration.ofDays(10), Duration.ofDays(56), Duration.ZERO, Duration.ZERO,
                                3, Duration.ofDays(30), Set.of("hold"), Optional.empty(), ZoneId.of("America/New_York")),
                        Instant.parse("2026-06-30T23:00:00Z")),
                new Case("tagged-held-max-retention-90d", tagged(),
                        settings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                3, Duration.ofDays(30), Set.of("hold", "legal"), Optional.of(Duration.ofDays(90)), UTC),
                        Instant.parse("2026-05-01T03:30:00Z")),
                new Case("verified-last", verified(),
                        settings(Duration.ofDays(1), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                3, Duration.ofDays(30), Set.of("hold"), Optional.empty(), UTC),
                        Instant.parse("2026-03-11T00:10:00Z")),
                new Case("max-retention-beats-last", stopped(),
                        settings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                3, Duration.ofDays(30), Set.of("hold"), Optional.of(Duration.ofDays(180)), UTC),
                        Instant.parse("2026-09-01T00:00:00Z")),
                new Case("dst-berlin-fall", every(Instant.parse("2026-10-24T21:00:00Z"), Instant.parse("2026-10-25T04:00:00Z"), 20),
                        settings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), BERLIN),
                        Instant.parse("2026-10-25T04:10:00Z")),
                new Case("dst-berlin-spring", every(Instant.parse("2026-03-28T21:00:00Z"), Instant.parse("2026-03-29T03:00:00Z"), 20),
                        settings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), BERLIN),
                        Instant.parse("2026-03-29T03:10:00Z")),
                new Case("iso-week-53", every(Instant.parse("2026-12-10T12:00:00Z"), Instant.parse("2027-01-17T12:00:00Z"), 24 * 60),
                        settings(Duration.ZERO, Duration.ZERO, Duration.ofDays(8 * 7), Duration.ZERO, Duration.ZERO,
                                1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), UTC),
                        Instant.parse("2027-01-17T13:00:00Z")),
                new Case("month-ends-berlin", every(Instant.parse("2026-01-25T23:30:00Z"), Instant.parse("2026-05-02T00:00:00Z"), 6 * 60),
                        settings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofDays(360), Duration.ofDays(3650),
                                1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), BERLIN),
                        Instant.parse("2026-05-02T00:30:00Z")),
                new Case("window-boundary", boundary(),
                        settings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                                1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), UTC),
                        Instant.parse("2026-06-01T12:00:00Z")));
    }

    static RetentionSettings settings(Duration hourly, Duration daily, Duration weekly, Duration monthly, Duration yearly, int last,
                                      Duration tagged, Set<String> hold, Optional<Duration> max, ZoneId zone) {
        return new RetentionSettings(hourly, daily, weekly, monthly, yearly, last, tagged, hold, max, zone);
    }

    static RetentionCandidate backup(Instant t, String tag, boolean verified) {
        String stem = "pg/app/" + LocalDate.ofInstant(t, ZoneOffset.UTC) + "/"
                + String.format("%02d%02d%02d", t.atZone(ZoneOffset.UTC).getHour(), t.atZone(ZoneOffset.UTC).getMinute(),
                t.atZone(ZoneOffset.UTC).getSecond()) + (tag == null ? "" : "-" + tag);
        return new RetentionCandidate(stem, t, tag, verified);
    }

    static List<RetentionCandidate> every(Instant from, Instant to, int minutes) {
        List<RetentionCandidate> out = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = t.plus(minutes, ChronoUnit.MINUTES)) out.add(backup(t, null, false));
        return out;
    }

    /** Hourly at :05 for 400 days, with a 5-day outage, a 6-hour outage near the end and every 97th run missing. */
    static List<RetentionCandidate> hourly400WithGaps() {
        List<RetentionCandidate> out = new ArrayList<>();
        Instant start = Instant.parse("2025-10-01T00:05:00Z");
        for (int h = 0; h < 400 * 24; h++) {
            Instant t = start.plus(h, ChronoUnit.HOURS);
            boolean outage = t.isAfter(Instant.parse("2026-02-10T00:00:00Z")) && t.isBefore(Instant.parse("2026-02-15T00:00:00Z"));
            boolean shortOutage = t.isAfter(Instant.parse("2026-11-01T10:00:00Z")) && t.isBefore(Instant.parse("2026-11-01T16:00:00Z"));
            if (!outage && !shortOutage && h % 97 != 50) out.add(backup(t, null, h % 500 == 7));
        }
        return out;
    }

    /** 150 manual backups at random times over 90 days (seeded), some verified. */
    static List<RetentionCandidate> irregular() {
        Random random = new Random(42);
        List<RetentionCandidate> out = new ArrayList<>();
        Instant start = Instant.parse("2026-04-01T00:00:00Z");
        java.util.Set<Instant> seen = new java.util.HashSet<>();
        while (out.size() < 150) {
            Instant t = start.plusSeconds(random.nextInt(90 * 86400));
            if (seen.add(t)) out.add(backup(t, null, random.nextInt(10) == 0));
        }
        return out;
    }

    /** Daily at 03:00 for 120 days, tagged ones of several ages, two held ones. */
    static List<RetentionCandidate> tagged() {
        Instant now = Instant.parse("2026-05-01T03:30:00Z");
        List<RetentionCandidate> out = every(Instant.parse("2026-01-02T03:00:00Z"), Instant.parse("2026-05-01T03:00:00Z"), 24 * 60);
        out.add(backup(now.minus(Duration.ofDays(5)), "pre-deploy", false));
        out.add(backup(now.minus(Duration.ofDays(25)), "pre-deploy", false));
        out.add(backup(now.minus(Duration.ofDays(30)).plusSeconds(1), "pre-migration", false));
        out.add(backup(now.minus(Duration.ofDays(30)), "exactly-30d", false));
        out.add(backup(now.minus(Duration.ofDays(31)), "pre-deploy", false));
        out.add(backup(now.minus(Duration.ofDays(100)), "pre-deploy", false));
        out.add(backup(now.minus(Duration.ofDays(110)), "hold", false));
        out.add(backup(now.minus(Duration.ofDays(115)), "legal", false));
        out.add(backup(now.minus(Duration.ofDays(60)), "hold", false));
        return out;
    }

    /** Hourly for 10 days; the verified ones are old and sparse. */
    static List<RetentionCandidate> verified() {
        List<RetentionCandidate> out = new ArrayList<>();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int h = 0; h < 240; h++) out.add(backup(start.plus(h, ChronoUnit.HOURS), null, h % 40 == 3));
        return out;
    }

    /** Daily backups that stopped 200 days before now, one of them held. */
    static List<RetentionCandidate> stopped() {
        List<RetentionCandidate> out = every(Instant.parse("2026-01-13T02:00:00Z"), Instant.parse("2026-02-12T02:00:00Z"), 24 * 60);
        out.add(backup(Instant.parse("2026-01-20T09:00:00Z"), "hold", false));
        return out;
    }

    /** A newest backup, and others exactly on the 7d and 30d window edges (outside) and just inside. */
    static List<RetentionCandidate> boundary() {
        Instant newest = Instant.parse("2026-06-01T10:00:00Z");
        return List.of(
                backup(newest, null, false),
                backup(newest.minus(Duration.ofDays(7)), null, false),
                backup(newest.minus(Duration.ofDays(7)).plus(Duration.ofHours(1)), null, false),
                backup(newest.minus(Duration.ofDays(30)), null, false),
                backup(newest.minus(Duration.ofDays(29)), null, false));
    }
}
