package dev.lifeboat.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The host-local file locks a run holds (DESIGN.md, "Locks"). Each lock has a name, which
 * becomes a file {@code <name>.lock} under BACKUP_LOCK_DIR, and a mode. Locks are taken in
 * the order given and released in reverse.
 *
 * <ul>
 *   <li>{@link #backup(String)}: {@code backup-<source>} exclusive, plus {@code store-<source>}
 *       shared (so rotate, which aborts leftover uploads, never runs beside a backup);</li>
 *   <li>{@link #rotate(String)}: {@code store-<source>} exclusive;</li>
 *   <li>{@link #reader(String)} for restore, verify and drill: {@code store-<source>} shared;</li>
 *   <li>{@link #mirror(String)}: {@code mirror-<live bucket>} exclusive;</li>
 *   <li>{@link #none()} for list and check.</li>
 * </ul>
 */
public record LockSpec(List<Entry> entries) {
    public enum Mode { SHARED, EXCLUSIVE }

    /** One lock: its name (any text; unsafe characters are replaced in the file name) and mode. */
    public record Entry(String name, Mode mode) {}

    public LockSpec {
        entries = List.copyOf(entries);
    }

    public static LockSpec none() {
        return new LockSpec(List.of());
    }

    public static LockSpec of(String name, Mode mode) {
        return new LockSpec(List.of(new Entry(name, mode)));
    }

    public static LockSpec backup(String source) {
        return of("backup-" + source, Mode.EXCLUSIVE).and("store-" + source, Mode.SHARED);
    }

    public static LockSpec rotate(String source) {
        return of("store-" + source, Mode.EXCLUSIVE);
    }

    public static LockSpec reader(String source) {
        return of("store-" + source, Mode.SHARED);
    }

    public static LockSpec mirror(String liveBucket) {
        return of("mirror-" + liveBucket, Mode.EXCLUSIVE);
    }

    public LockSpec and(String name, Mode mode) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(new Entry(name, mode));
        return new LockSpec(all);
    }
}
