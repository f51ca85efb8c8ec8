package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest;

import java.util.Optional;

/**
 * Whether the dump is suspiciously smaller than the previous complete backup's (uncompressed
 * dump bytes): more than 50% smaller is a warning; with {@code --max-shrink P}, shrinking by more
 * than P percent is a failure.
 */
final class ShrinkCheck {
    static final String LAYER = "shrink";
    static final double WARN_PERCENT = 50.0;

    private ShrinkCheck() {}

    /** {@code previous}: the previous complete backup's manifest; empty when there is none or it is unreadable. */
    static Check of(Manifest current, Optional<Manifest> previous, Double maxShrinkPercent) {
        if (previous.isEmpty()) return Check.skipped(LAYER, "no earlier complete backup to compare with");
        Manifest prev = previous.get();
        long before = prev.dumpBytes();
        long now = current.dumpBytes();
        String sizes = Units.bytes(now) + " vs " + Units.bytes(before) + " in " + prev.dump().key();
        if (before <= 0) return Check.skipped(LAYER, "the previous backup's dump size is unknown");
        double shrink = (before - now) * 100.0 / before;
        if (maxShrinkPercent != null && shrink > maxShrinkPercent) {
            return Check.failed(LAYER, "the dump is " + Units.percent(shrink) + " smaller than the previous backup's (" + sizes
                    + "), more than --max-shrink " + Units.percent(maxShrinkPercent));
        }
        if (maxShrinkPercent == null && shrink > WARN_PERCENT) {
            return Check.warning(LAYER, "the dump is " + Units.percent(shrink) + " smaller than the previous backup's (" + sizes
                    + "); a table or schema may be missing (--max-shrink makes this a failure)");
        }
        return Check.ok(LAYER, shrink > 0 ? Units.percent(shrink) + " smaller than the previous backup (" + sizes + ")"
                : "not smaller than the previous backup (" + sizes + ")");
    }
}
