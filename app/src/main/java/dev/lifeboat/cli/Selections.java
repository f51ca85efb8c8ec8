package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.restore.Selection;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** KEY | --latest | --at TIME, as restore and drill take them. */
final class Selections {
    private Selections() {}

    /** Exactly one of them for restore. */
    static Selection of(String key, boolean latest, String at) {
        int given = (key != null ? 1 : 0) + (latest ? 1 : 0) + (at != null ? 1 : 0);
        if (given != 1) throw LifeboatException.config("name one backup: KEY, --latest or --at TIME");
        return new Selection(key, latest, at == null ? null : time(at));
    }

    /** ISO 8601; UTC unless an offset is given. */
    static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException e3) {
                    throw LifeboatException.config("--at " + text + " is not an ISO 8601 time (e.g. 2026-11-20T14:00:00Z)");
                }
            }
        }
    }
}
