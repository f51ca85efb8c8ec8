package dev.lifeboat.config;

import dev.lifeboat.LifeboatException;

import java.util.regex.Pattern;

/** Validation of the names that become parts of object keys: sources and tags. */
public final class Names {
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Names() {}

    /** A source name (BACKUP_SOURCE_NAME or the database name): letters, digits, '.', '_', '-'. */
    public static String source(String what, String value) {
        if (!SOURCE.matcher(value).matches()) {
            throw LifeboatException.config(what + "=" + value + " cannot name backups (use letters, digits, '.', '_' and '-'; set BACKUP_SOURCE_NAME)");
        }
        return value;
    }

    /** A tag (--tag): lower-case letters, digits, '.', '_', '-', at most 64 characters. */
    public static String tag(String value) {
        if (value == null) return null;
        if (!TAG.matcher(value).matches()) {
            throw LifeboatException.config("--tag " + value + " is not a valid tag (lower-case letters, digits, '.', '_', '-'; at most 64)");
        }
        return value;
    }

    /** BACKUP_SOURCE_NAME, else the database's name. */
    public static String sourceFromEnv(Env env, DatabaseUrl db) {
        return env.get("BACKUP_SOURCE_NAME").map(v -> source("BACKUP_SOURCE_NAME", v))
                .orElseGet(() -> source("the database name of DATABASE_URL", db.database()));
    }
}
