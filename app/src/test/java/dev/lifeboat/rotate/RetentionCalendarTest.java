package dev.lifeboat.rotate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.lifeboat.rotate.RetentionCases.backup;
import static dev.lifeboat.rotate.RetentionCases.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calendar edges of the window rules, asserted one by one (the golden files show them in context). */
class RetentionCalendarTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static RetentionSettings only(Duration hourly, Duration daily, Duration weekly, Duration monthly, ZoneId zone) {
        return settings(hourly, daily, weekly, monthly, Duration.ZERO, 1, Duration.ofDays(30), Set.of("hold"), Optional.empty(), zone);
    }

    /** id -> reasons as text ("" when removed). */
    private static Map<String, String> plan(RetentionSettings s, Instant now, RetentionCandidate... backups) {
        RetentionPlan plan = new RetentionPolicy(s).plan(List.of(backups), now);
        RetentionPolicyGoldenTest.checkInvariants(List.of(backups), s, now, plan);
        return plan.decisions().stream().collect(Collectors.toMap(d -> d.backup().id(), d -> d.keep() ? d.explain() : ""));
    }

    private static RetentionCandidate at(String instant) {
        return backup(Instant.parse(instant), null, false);
    }

    @Test
    void dstFallBackKeepsBothTwoOClockHoursInBerlin() {
        RetentionCandidate first = at("2026-10-25T00:30:00Z");  // 02:30 CEST
        RetentionCandidate second = at("2026-10-25T01:30:00Z"); // 02:30 CET
        RetentionCandidate newest = at("2026-10-25T03:00:00Z");
        Map<String, String> r = plan(only(Duration.ofDays(1), Duration.ZERO, Duration.ZERO, Duration.ZERO, BERLIN),
                Instant.parse("2026-10-25T03:05:00Z"), first, second, newest);
        assertEquals("hourly 2026-10-25T02+02:00", r.get(first.id()));
        assertEquals("hourly 2026-10-25T02+01:00", r.get(second.id()));
        assertTrue(r.get(newest.id()).startsWith("hourly 2026-10-25T04,"), r.get(newest.id()));
    }

    @Test
    void dstSpringForwardHasNoTwoOClockAndA23HourDay() {
        RetentionCandidate before = at("2026-03-29T00:59:00Z"); // 01:59 CET
        RetentionCandidate after = at("2026-03-29T01:00:00Z");  // 03:00 CEST
        RetentionCandidate lastOfDay = at("2026-03-29T21:59:00Z"); // 23:59 CEST, same local day
        RetentionCandidate nextDay = at("2026-03-29T22:00:00Z");   // 00:00 CEST on the 30th
        Map<String, String> r = plan(only(Duration.ofDays(2), Duration.ofDays(5), Duration.ZERO, Duration.ZERO, BERLIN),
                Instant.parse("2026-03-29T22:30:00Z"), before, after, lastOfDay, nextDay);
        assertEquals("hourly 2026-03-29T01", r.get(before.id()));
        assertEquals("hourly 2026-03-29T03", r.get(after.id()));
        assertEquals("hourly 2026-03-29T23, daily 2026-03-29", r.get(lastOfDay.id()));
        assertEquals("hourly 2026-03-30T00, daily 2026-03-30, last 1", r.get(nextDay.id()));
    }

    @Test
    void isoWeek53BelongsToTheWeekBasedYear() {
        RetentionCandidate sunday52 = at("2026-12-27T12:00:00Z");
        RetentionCandidate thursday53 = at("2026-12-31T12:00:00Z");
        RetentionCandidate saturday53 = at("2027-01-02T12:00:00Z");
        RetentionCandidate monday01 = at("2027-01-04T12:00:00Z");
        Map<String, String> r = plan(only(Duration.ZERO, Duration.ZERO, Duration.ofDays(28), Duration.ZERO, UTC),
                Instant.parse("2027-01-04T13:00:00Z"), sunday52, thursday53, saturday53, monday01);
        assertEquals("weekly 2026-W52", r.get(sunday52.id()));
        assertEquals("", r.get(thursday53.id()), "an older backup of the same week is removed");
        assertEquals("weekly 2026-W53", r.get(saturday53.id()));
        assertEquals("weekly 2027-W01, last 1", r.get(monday01.id()));
    }

    @Test
    void monthEndsFollowTheZone() {
        RetentionCandidate janUtc = at("2026-01-31T23:30:00Z"); // February 1st 00:30 in Berlin
        RetentionCandidate janEarlier = at("2026-01-31T12:00:00Z");
        RetentionCandidate newest = at("2026-02-28T23:59:59Z"); // March 1st in Berlin
        RetentionSettings monthly = only(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofDays(90), UTC);
        Instant now = Instant.parse("2026-03-01T00:10:00Z");
        Map<String, String> utc = plan(monthly, now, janEarlier, janUtc, newest);
        assertEquals("monthly 2026-01", utc.get(janUtc.id()));
        assertEquals("", utc.get(janEarlier.id()));
        Map<String, String> berlin = plan(only(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofDays(90), BERLIN), now,
                janEarlier, janUtc, newest);
        assertEquals("monthly 2026-01", berlin.get(janEarlier.id()));
        assertEquals("monthly 2026-02", berlin.get(janUtc.id()));
        assertEquals("monthly 2026-03, last 1", berlin.get(newest.id()));
    }

    @Test
    void aBackupExactlyAWindowOlderThanTheNewestIsOutside() {
        Instant newest = Instant.parse("2026-06-01T10:00:00Z");
        RetentionCandidate onEdge = backup(newest.minus(Duration.ofHours(48)), null, false);
        RetentionCandidate inside = backup(newest.minus(Duration.ofHours(48)).plusSeconds(1), null, false);
        RetentionSettings s = only(Duration.ofHours(48), Duration.ZERO, Duration.ZERO, Duration.ZERO, UTC);
        Map<String, String> r1 = plan(s, newest, onEdge, backup(newest, null, false));
        assertEquals("", r1.get(onEdge.id()));
        Map<String, String> r2 = plan(s, newest, inside, backup(newest, null, false));
        assertEquals("hourly 2026-05-30T10", r2.get(inside.id()));
    }

    @Test
    void windowsAreMeasuredFromTheNewestBackupNotFromNow() {
        RetentionCandidate a = at("2026-01-01T10:00:00Z");
        RetentionCandidate b = at("2026-01-01T11:00:00Z");
        RetentionSettings s = only(Duration.ofDays(1), Duration.ZERO, Duration.ZERO, Duration.ZERO, UTC);
        Map<String, String> r = plan(s, Instant.parse("2027-01-01T00:00:00Z"), a, b);
        assertEquals("hourly 2026-01-01T10", r.get(a.id()));
    }

    @Test
    void taggedEndsExactlyKeepTaggedAfterItsTimeAndMaxRetentionAtItsAge() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        RetentionCandidate newest = backup(now, null, false);
        RetentionCandidate expired = backup(now.minus(Duration.ofDays(30)), "pre-deploy", false);
        RetentionCandidate live = backup(now.minus(Duration.ofDays(30)).plusSeconds(1), "pre-deploy", false);
        RetentionSettings s = settings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1,
                Duration.ofDays(30), Set.of("hold"), Optional.of(Duration.ofDays(40)), UTC);
        Map<String, String> r = plan(s, now, newest, expired, live);
        assertEquals("", r.get(expired.id()));
        assertEquals("tagged pre-deploy until 2026-06-01", r.get(live.id()));

        RetentionCandidate fortyDays = backup(now.minus(Duration.ofDays(40)), "hold", false);
        RetentionCandidate fortyDaysUnheld = backup(now.minus(Duration.ofDays(40)), "other", false);
        RetentionCandidate youngerThanMax = backup(now.minus(Duration.ofDays(40)).plusSeconds(1), "x", false);
        RetentionSettings longTags = settings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1,
                Duration.ofDays(400), Set.of("hold"), Optional.of(Duration.ofDays(40)), UTC);
        Map<String, String> r2 = plan(longTags, now, newest, fortyDays, fortyDaysUnheld, youngerThanMax);
        assertTrue(r2.get(fortyDays.id()).contains("held (hold)"));
        assertEquals("", r2.get(fortyDaysUnheld.id()), "exactly max retention old is removed");
        assertFalse(r2.get(youngerThanMax.id()).isEmpty());
    }

    @Test
    void emptyListPlansNothing() {
        RetentionPlan plan = new RetentionPolicy(RetentionSettings.defaults()).plan(List.of(), Instant.EPOCH);
        assertTrue(plan.decisions().isEmpty());
        assertTrue(plan.newest().isEmpty());
    }
}
