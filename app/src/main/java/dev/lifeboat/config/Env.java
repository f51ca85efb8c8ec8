package dev.lifeboat.config;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration as lifeboat sees it: the process environment, over the lines of an
 * optional env file (the process environment wins). Every getter that fails throws a
 * {@link LifeboatException} with exit code 2 and one line naming the variable.
 *
 * <p>Empty values count as unset. Every secret {@code X} may also be given as
 * {@code X_FILE}, a path whose content is the value; the values of all secrets read
 * are remembered so that messages can be scrubbed of them ({@link #redact}).
 */
public final class Env {
    private final Map<String, String> vars;
    private final Set<String> secretValues = Collections.synchronizedSet(new LinkedHashSet<>());

    private Env(Map<String, String> vars) {
        this.vars = vars;
    }

    public static Env of(Map<String, String> vars) {
        return new Env(new HashMap<>(vars));
    }

    /** The process environment over the file's KEY=VALUE lines; the process environment wins. */
    public static Env withFile(Map<String, String> process, Path envFile) {
        Map<String, String> merged = new HashMap<>(EnvFile.read(envFile));
        merged.putAll(process);
        return new Env(merged);
    }

    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public boolean isSet(String name) {
        return get(name).isPresent() || get(name + "_FILE").isPresent();
    }

    public String require(String name, String expected) {
        return get(name).orElseThrow(() -> LifeboatException.config(name + " is not set (expected " + expected + ")"));
    }

    /** A secret: {@code name} or the content of the file named by {@code name_FILE}. */
    public Optional<String> secret(String name) {
        Optional<String> direct = get(name);
        Optional<String> file = get(name + "_FILE");
        if (direct.isPresent() && file.isPresent()) {
            throw LifeboatException.config(name + " and " + name + "_FILE are both set (set only one)");
        }
        Optional<String> value = direct.isPresent() ? direct : file.map(f -> readSecretFile(name + "_FILE", f));
        value.ifPresent(this::rememberSecret);
        return value.filter(v -> !v.isEmpty());
    }

    public void rememberSecret(String value) {
        if (value != null && value.length() >= 3) secretValues.add(value);
    }

    private static String readSecretFile(String var, String path) {
        try {
            String s = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            if (s.endsWith("\r\n")) return s.substring(0, s.length() - 2);
            if (s.endsWith("\n")) return s.substring(0, s.length() - 1);
            return s;
        } catch (IOException | RuntimeException e) {
            throw LifeboatException.config(var + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    public Optional<Duration> duration(String name) {
        return get(name).map(v -> Durations.parse(name, v));
    }

    public Duration duration(String name, String defaultValue) {
        return Durations.parse(name, get(name).orElse(defaultValue));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = get(name);
        if (v.isEmpty()) return defaultValue;
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw LifeboatException.config(name + "=" + v.get() + " is not a whole number from " + min + " to " + max);
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> v = get(name);
        if (v.isEmpty()) return defaultValue;
        switch (v.get().trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "1": case "on": return true;
            case "false": case "no": case "0": case "off": return false;
            default: throw LifeboatException.config(name + "=" + v.get() + " is not a boolean (expected true or false)");
        }
    }

    /** One of the allowed words (case-insensitive), returned in lower case. */
    public String choice(String name, String defaultValue, String... allowed) {
        String v = get(name).orElse(defaultValue).trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) return a;
        }
        throw LifeboatException.config(name + "=" + v + " is not one of " + String.join(", ", allowed));
    }

    /** A comma-separated list, items trimmed, empty items dropped. */
    public List<String> list(String name) {
        List<String> out = new ArrayList<>();
        get(name).ifPresent(v -> {
            for (String s : v.split(",")) {
                if (!s.isBlank()) out.add(s.trim());
            }
        });
        return out;
    }

    /** A copy of all variables, for code that needs to look up families like PG* or X_<COMMAND>. */
    public Map<String, String> all() {
        return Collections.unmodifiableMap(vars);
    }

    /** The message with every secret value read so far replaced by "***". */
    public String redact(String message) {
        if (message == null) return null;
        String out = message;
        synchronized (secretValues) {
            for (String s : secretValues) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }
}
