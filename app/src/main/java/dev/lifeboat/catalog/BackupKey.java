package dev.lifeboat.catalog;

import dev.lifeboat.LifeboatException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which backup an object belongs to: {@code <kind>/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>]}, the
 * "stem" that every object of one backup starts with (DESIGN.md, "Object layout"). The time is
 * the UTC snapshot time, to the second.
 *
 * <p><b>Tags</b> are 1 to 63 characters of lower-case letters, digits, {@code _} and {@code -},
 * starting with a letter or digit ({@code pre-deploy}, {@code v2_3}). A dot is not allowed: the
 * stem ends at the first dot of the file name, so a key can always be split into stem and
 * suffix without knowing every suffix. {@code backup --tag} checks its value with
 * {@link #requireTag}.
 *
 * <p><b>Sources</b> are 1 to 128 characters of letters, digits, {@code .}, {@code _} and
 * {@code -}, starting with a letter or digit (one path segment, never {@code ..}).
 */
public record BackupKey(String kind, String source, Instant time, String tag) {
    public static final String PG = "pg";
    public static final String FILES = "files";
    public static final String MANIFEST_SUFFIX = ".manifest.json";
    public static final String VERIFIED_SUFFIX = ".verified.json";

    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern KEY = Pattern.compile(
            "(pg|files)/([^/]+)/(\\d{4})-(\\d{2})-(\\d{2})/(\\d{2})(\\d{2})(\\d{2})(?:-([^./]+))?(\\.[^/]+)");
    private static final Pattern PG_SUFFIX = Pattern.compile(
            "\\.(dump|globals\\.sql)(\\.gz|\\.zst)?(\\.gpg)?|\\.manifest\\.json|\\.verified\\.json");
    private static final Pattern FILES_SUFFIX = Pattern.compile(
            "\\.tar(\\.gz|\\.zst)?(\\.gpg)?|\\.entries\\.json\\.gz\\.gpg|\\.manifest\\.json|\\.verified\\.json");

    public BackupKey {
        if (!PG.equals(kind) && !FILES.equals(kind)) throw new IllegalArgumentException("kind must be pg or files: " + kind);
        if (!isValidSource(source)) throw new IllegalArgumentException("not a valid source name: " + source);
        Objects.requireNonNull(time, "time");
        if (time.getNano() != 0) throw new IllegalArgumentException("backup times have whole seconds: " + time);
        if (tag != null && !isValidTag(tag)) throw new IllegalArgumentException("not a valid tag: " + tag);
    }

    /** A key for a new backup; the time is truncated to whole seconds, a null or empty tag means none. */
    public static BackupKey of(String kind, String source, Instant time, String tag) {
        return new BackupKey(kind, source, time.truncatedTo(ChronoUnit.SECONDS), tag == null || tag.isEmpty() ? null : tag);
    }

    public Optional<String> tagValue() {
        return Optional.ofNullable(tag);
    }

    public boolean tagged() {
        return tag != null;
    }

    /** {@code pg/<source>/<YYYY-MM-DD>/<HHMMSS>[-<tag>]}: every object of this backup is the stem plus a suffix. */
    public String stem() {
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        return String.format("%s/%s/%04d-%02d-%02d/%02d%02d%02d%s", kind, source, t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), tag == null ? "" : "-" + tag);
    }

    public String manifestKey() {
        return stem() + MANIFEST_SUFFIX;
    }

    public String verifiedKey() {
        return stem() + VERIFIED_SUFFIX;
    }

    /** {@code <kind>/<source>/}: where all backups of one kind and source are listed. */
    public static String prefix(String kind, String source) {
        return kind + "/" + source + "/";
    }

    /** The backup an object key belongs to; empty for a key outside the layout (bad date, tag, source). */
    public static Optional<BackupKey> parse(String objectKey) {
        Matcher m = KEY.matcher(objectKey);
        if (!m.matches()) return Optional.empty();
        String tag = m.group(9);
        if (!isValidSource(m.group(2)) || (tag != null && !isValidTag(tag))) return Optional.empty();
        try {
            LocalDate date = LocalDate.of(num(m, 3), num(m, 4), num(m, 5));
            LocalTime clock = LocalTime.of(num(m, 6), num(m, 7), num(m, 8));
            return Optional.of(new BackupKey(m.group(1), m.group(2), date.atTime(clock).toInstant(ZoneOffset.UTC), tag));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** What follows the stem in an object key ({@code .dump.gz.gpg}); empty when the key is outside the layout. */
    public static Optional<String> suffix(String objectKey) {
        return parse(objectKey).map(k -> objectKey.substring(k.stem().length()));
    }

    /** Whether lifeboat writes objects with this suffix for this kind (dump, globals, tar, manifest, verified). */
    public static boolean isKnownSuffix(String kind, String suffix) {
        return (PG.equals(kind) ? PG_SUFFIX : FILES_SUFFIX).matcher(suffix).matches();
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    public static boolean isValidSource(String source) {
        return source != null && SOURCE.matcher(source).matches() && !source.contains("..");
    }

    /** The tag, or exit 2 naming {@code what} (an option or variable) and the allowed syntax. */
    public static String requireTag(String what, String tag) {
        if (!isValidTag(tag)) {
            throw LifeboatException.config(what + "=" + tag + " is not a valid tag (expected 1-63 of a-z, 0-9, '_', '-', "
                    + "starting with a letter or digit, e.g. pre-deploy)");
        }
        return tag;
    }

    /** The source name, or exit 2 naming {@code what} and the allowed syntax. */
    public static String requireSource(String what, String source) {
        if (!isValidSource(source)) {
            throw LifeboatException.config(what + "=" + source + " is not a valid source name (expected 1-128 of "
                    + "A-Z, a-z, 0-9, '.', '_', '-', starting with a letter or digit)");
        }
        return source;
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    @Override
    public String toString() {
        return stem();
    }
}
