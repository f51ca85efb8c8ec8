package dev.lifeboat.mirror;

import java.time.LocalDate;

/**
 * The backup side's names for a live bucket (DESIGN.md, "Object layout"), and the check that
 * refuses a live key which could not be stored safely as a file under BACKUP_DIR.
 */
public final class MirrorKeys {
    private MirrorKeys() {}

    /** {@code minio/<bucket>/}: where the copies are. */
    public static String copyPrefix(String bucket) {
        return "minio/" + bucket + "/";
    }

    public static String copyKey(String bucket, String key) {
        return copyPrefix(bucket) + key;
    }

    /** {@code minio-index/<bucket>.json.gz}. */
    public static String indexKey(String bucket) {
        return "minio-index/" + bucket + ".json.gz";
    }

    /** {@code minio-replaced/<bucket>/}: replaced and removed copies, pruned by rotate after MIRROR_KEEP_REPLACED. */
    public static String replacedPrefix(String bucket) {
        return "minio-replaced/" + bucket + "/";
    }

    /** {@code minio-replaced/<bucket>/<YYYY-MM-DD>/<key>}, with {@code suffix} appended when that one is taken. */
    public static String replacedKey(String bucket, LocalDate day, String key, String suffix) {
        return replacedPrefix(bucket) + day + "/" + key + (suffix == null ? "" : suffix);
    }

    /**
     * Why {@code key} is refused, or null when it is fine: empty, absolute, a NUL byte or another
     * control character, a backslash, a '.' or '..' segment, or an empty segment. Such a key could
     * leave BACKUP_DIR or be restored somewhere else than where it came from.
     */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) return "empty key";
        if (key.startsWith("/")) return "absolute key (starts with '/')";
        if (key.indexOf('\\') >= 0) return "contains a backslash";
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == 0) return "contains a NUL byte";
            if (c < 0x20 || c == 0x7f) return "contains a control character";
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) return "contains a '..' segment (would leave the backup directory)";
            if (segment.equals(".")) return "contains a '.' segment";
            if (segment.isEmpty()) return "contains an empty segment ('//')";
        }
        return null;
    }

    /** The key as it may be printed: control characters escaped. */
    public static String printable(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
