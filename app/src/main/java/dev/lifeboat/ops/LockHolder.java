package dev.lifeboat.ops;

import java.util.HashMap;
import java.util.Map;

/** What a lock holder wrote about itself: {@code pid=… host=… started=… command=… mode=…}. */
record LockHolder(String pid, String host, String started, String command, String mode) {
    static LockHolder parse(String line) {
        Map<String, String> f = new HashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new LockHolder(f.getOrDefault("pid", "?"), f.getOrDefault("host", "?"), f.getOrDefault("started", "?"),
                f.getOrDefault("command", "?"), f.getOrDefault("mode", "?"));
    }

    String describe() {
        return "pid " + pid + " on " + host + ", started " + started + " (lifeboat " + command + ", " + mode + ")";
    }
}
