package dev.lifeboat.restore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Names of the databases a restore or drill makes, kept within PostgreSQL's 63-byte limit. */
public final class DatabaseNames {
    static final int MAX_BYTES = 63;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private DatabaseNames() {}

    public static String stamp(Instant t) {
        return TS.format(t).toLowerCase();
    }

    /** {@code <base><suffix>}, the base shortened (on a character boundary) so the whole fits 63 bytes. */
    public static String withSuffix(String base, String suffix) {
        int room = MAX_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        String b = base;
        while (b.getBytes(StandardCharsets.UTF_8).length > room) {
            b = b.substring(0, b.offsetByCodePoints(b.length(), -1));
        }
        return b + suffix;
    }

    public static String preRestore(String db, Instant t) {
        return withSuffix(db, "_pre_restore_" + stamp(t));
    }

    public static String side(String db, Instant t) {
        return withSuffix(db, "_restoring_" + stamp(t));
    }

    public static String drill(Instant t) {
        return "lifeboat_drill_" + stamp(t);
    }
}
