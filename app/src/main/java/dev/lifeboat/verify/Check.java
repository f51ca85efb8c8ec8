package dev.lifeboat.verify;

/**
 * One layer of a verification and what it found. {@code detail} quotes both sides of a
 * mismatch ("stored object has sha256 ab…, manifest says cd…") and never holds a secret.
 */
public record Check(String layer, Status status, String detail) {
    public enum Status {
        OK("ok"), FAILED("FAIL"), WARNING("warn"), SKIPPED("skip");

        /** The word of the human report. */
        public final String word;

        Status(String word) {
            this.word = word;
        }

        /** In JSON: ok, failed, warning, skipped. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Check ok(String layer, String detail) {
        return new Check(layer, Status.OK, detail);
    }

    public static Check failed(String layer, String detail) {
        return new Check(layer, Status.FAILED, detail);
    }

    public static Check warning(String layer, String detail) {
        return new Check(layer, Status.WARNING, detail);
    }

    public static Check skipped(String layer, String detail) {
        return new Check(layer, Status.SKIPPED, detail);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
