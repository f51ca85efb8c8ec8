package dev.lifeboat.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How one run ended: what metrics and notifications report. {@code message} is already
 * redacted; {@code key} is the main object written or read (may be null).
 */
public record RunOutcome(String command, String source, String host, Instant started, Instant finished,
                         boolean success, int exitCode, String message, String key, long bytes, long objects,
                         Map<Gauge, Double> gauges) {
    public RunOutcome {
        gauges = Map.copyOf(gauges);
    }

    public Duration duration() {
        return Duration.between(started, finished);
    }

    public String status() {
        return success ? "success" : "failure";
    }

    /** One line for chat hooks and subjects. */
    public String summary() {
        String head = "lifeboat " + command + " " + source + " on " + host + ": ";
        String took = Sizes.duration(duration());
        if (success) {
            return head + "succeeded in " + took + (bytes > 0 ? ", " + Sizes.bytes(bytes) : "")
                    + (key == null ? "" : " (" + key + ")");
        }
        return head + "FAILED after " + took + " (exit " + exitCode + "): " + message;
    }
}
