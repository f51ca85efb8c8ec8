package dev.lifeboat.check;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One line of {@code lifeboat check}: what was checked, whether it holds, what was found and,
 * when it fails, what to do about it (which variable to set, which grant to give).
 */
public record CheckResult(String name, Status status, String detail, String fix) {
    public enum Status {
        OK("ok"), FAIL("FAIL"), SKIP("skip");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        @JsonValue
        public String word() {
            return word;
        }
    }

    public static CheckResult ok(String name, String detail) {
        return new CheckResult(name, Status.OK, detail, null);
    }

    public static CheckResult fail(String name, String problem, String fix) {
        return new CheckResult(name, Status.FAIL, problem, fix);
    }

    public static CheckResult skip(String name, String why) {
        return new CheckResult(name, Status.SKIP, why, null);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }

    /** {@code ok   store  ...} / {@code FAIL store  <problem> — <fix>} / {@code skip live-bucket  <why>}. */
    public String line() {
        return String.format("%-4s %-17s %s%s", status.word(), name, detail, fix == null ? "" : " — " + fix);
    }
}
