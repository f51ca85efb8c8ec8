package dev.lifeboat.rotate;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.config.Durations;
import dev.lifeboat.config.Env;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the retention policy keeps (DESIGN.md, {@code BACKUP_KEEP_*}). A window of zero turns its
 * rule off. {@code keepLast} is at least 1: rotate never plans to remove the newest backup
 * (only {@code maxRetention} can, and a held backup beats even that).
 */
public record RetentionSettings(Duration keepHourly, Duration keepDaily, Duration keepWeekly, Duration keepMonthly,
                                Duration keepYearly, int keepLast, Duration keepTagged, Set<String> holdTags,
                                Optional<Duration> maxRetention, ZoneId zone) {
    public RetentionSettings {
        for (Duration d : List.of(keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepTagged)) {
            if (d.isNegative()) throw new IllegalArgumentException("negative window: " + d);
        }
        if (keepLast < 1) throw new IllegalArgumentException("keepLast must be at least 1: " + keepLast);
        holdTags = Set.copyOf(holdTags);
        Objects.requireNonNull(maxRetention, "maxRetention");
        Objects.requireNonNull(zone, "zone");
    }

    /** The documented defaults: 7d hourly, 30d daily, keep last 3, tagged 30d, hold tag "hold", UTC. */
    public static RetentionSettings defaults() {
        return new RetentionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                3, Duration.ofDays(30), Set.of("hold"), Optional.empty(), ZoneId.of("UTC"));
    }

    public static RetentionSettings fromEnv(Env env) {
        Set<String> hold = new LinkedHashSet<>();
        List<String> holdList = env.list("BACKUP_HOLD_TAGS");
        for (String t : holdList.isEmpty() ? List.of("hold") : holdList) hold.add(BackupKey.requireTag("BACKUP_HOLD_TAGS", t));
        Optional<Duration> max = env.duration("BACKUP_MAX_RETENTION");
        if (max.isPresent() && max.get().compareTo(Duration.ofDays(1)) < 0) {
            throw LifeboatException.config("BACKUP_MAX_RETENTION=" + env.get("BACKUP_MAX_RETENTION").orElse("")
                    + " is shorter than 1d (it would delete the backups just taken); leave it unset to keep backups by the windows only");
        }
        return new RetentionSettings(
                env.duration("BACKUP_KEEP_HOURLY", "7d"),
                env.duration("BACKUP_KEEP_DAILY", "30d"),
                env.duration("BACKUP_KEEP_WEEKLY", "0"),
                env.duration("BACKUP_KEEP_MONTHLY", "0"),
                env.duration("BACKUP_KEEP_YEARLY", "0"),
                env.integer("BACKUP_KEEP_LAST", 3, 1, 1_000_000),
                env.duration("BACKUP_KEEP_TAGGED", "30d"),
                hold, max, zone(env));
    }

    /** {@code BACKUP_TIMEZONE} (default UTC); exit 2 naming the variable when it is not a zone. */
    public static ZoneId zone(Env env) {
        String name = env.get("BACKUP_TIMEZONE").orElse("UTC").trim();
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw LifeboatException.config("BACKUP_TIMEZONE=" + name + " is not a time zone (expected an IANA name such as Europe/Berlin, or UTC)");
        }
    }

    public boolean held(String tag) {
        return tag != null && holdTags.contains(tag);
    }

    /** One line for logs and reports. */
    public String describe() {
        return "hourly " + Durations.format(keepHourly) + ", daily " + Durations.format(keepDaily) + ", weekly "
                + Durations.format(keepWeekly) + ", monthly " + Durations.format(keepMonthly) + ", yearly "
                + Durations.format(keepYearly) + ", last " + keepLast + ", tagged " + Durations.format(keepTagged)
                + ", hold " + String.join("|", new java.util.TreeSet<>(holdTags)) + ", max retention "
                + maxRetention.map(Durations::format).orElse("none") + ", zone " + zone.getId();
    }
}
