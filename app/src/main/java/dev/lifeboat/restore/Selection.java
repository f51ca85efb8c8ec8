package dev.lifeboat.restore;

import java.time.Instant;

/** Which backup an operator means: a key, the latest untagged one, or the newest at a time. */
public record Selection(String key, boolean latest, Instant at) {
    public static Selection latestBackup() {
        return new Selection(null, true, null);
    }

    public String describe() {
        if (key != null) return key;
        if (at != null) return "the newest backup at or before " + at;
        return "the latest backup";
    }
}
