package dev.lifeboat.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Object names of a backup (DESIGN.md, "Object layout"): {@code <kind>/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>]}. */
final class BackupNames {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private BackupNames() {}

    static String stem(String kind, String source, Instant time, String tag) {
        return kind + "/" + source + "/" + DAY.format(time) + "/" + TIME.format(time) + (tag == null ? "" : "-" + tag);
    }
}
