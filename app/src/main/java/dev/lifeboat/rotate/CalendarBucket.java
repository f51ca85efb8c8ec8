package dev.lifeboat.rotate;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;

/**
 * The buckets of the window rules, in the zone of {@code BACKUP_TIMEZONE}: within a window the
 * newest backup of each bucket is kept. Hours are buckets of instants (the local hour's start
 * as an instant), so the two 02:00 hours of a DST fall-back stay apart (their labels then carry
 * the offset); days, ISO weeks (with the week-based year), months and years are calendar ones.
 */
enum CalendarBucket {
    HOURLY(KeepReason.Rule.HOURLY) {
        @Override
        Object key(ZonedDateTime t) {
            return t.truncatedTo(ChronoUnit.HOURS).toEpochSecond();
        }

        @Override
        String label(ZonedDateTime t) {
            ZonedDateTime h = t.truncatedTo(ChronoUnit.HOURS);
            String local = String.format("%04d-%02d-%02dT%02d", h.getYear(), h.getMonthValue(), h.getDayOfMonth(), h.getHour());
            boolean ambiguous = h.getZone().getRules().getValidOffsets(h.toLocalDateTime()).size() > 1;
            return ambiguous ? local + h.getOffset().getId() : local;
        }
    },
    DAILY(KeepReason.Rule.DAILY) {
        @Override
        Object key(ZonedDateTime t) {
            return t.toLocalDate().toEpochDay();
        }

        @Override
        String label(ZonedDateTime t) {
            return t.toLocalDate().toString();
        }
    },
    WEEKLY(KeepReason.Rule.WEEKLY) {
        @Override
        Object key(ZonedDateTime t) {
            return t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }

        @Override
        String label(ZonedDateTime t) {
            return String.format("%04d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }
    },
    MONTHLY(KeepReason.Rule.MONTHLY) {
        @Override
        Object key(ZonedDateTime t) {
            return t.getYear() * 100L + t.getMonthValue();
        }

        @Override
        String label(ZonedDateTime t) {
            return String.format("%04d-%02d", t.getYear(), t.getMonthValue());
        }
    },
    YEARLY(KeepReason.Rule.YEARLY) {
        @Override
        Object key(ZonedDateTime t) {
            return (long) t.getYear();
        }

        @Override
        String label(ZonedDateTime t) {
            return String.format("%04d", t.getYear());
        }
    };

    final KeepReason.Rule rule;

    CalendarBucket(KeepReason.Rule rule) {
        this.rule = rule;
    }

    abstract Object key(ZonedDateTime t);

    abstract String label(ZonedDateTime t);

    KeepReason reason(Instant time, ZoneId zone) {
        return new KeepReason(rule, label(time.atZone(zone)));
    }
}
