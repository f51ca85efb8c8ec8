package dev.lifeboat.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.catalog.BackupKey;
import dev.lifeboat.json.Json;
import dev.lifeboat.verify.BackupFixture.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.lifeboat.verify.BackupFixture.run;
import static dev.lifeboat.verify.BackupFixture.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lifeboat list} against real backups of pagila in a real S3 server (see {@link BackupFixture}). */
class ListCommandTest {
    static BackupFixture fx;

    @BeforeAll
    static void backups() throws Exception {
        fx = BackupFixture.get();
    }

    @Test
    void completeBackupsNewestLastWithTheirManifestFacts() throws Exception {
        Run r = run(fx.env(), "list", "--json");
        assertEquals(0, r.code(), r.all());
        JsonNode rows = Json.mapper().readTree(r.out()).get("backups");
        assertEquals(List.of(fx.full, fx.noFilm, fx.tiny), List.of(rows.get(0).get("key").asText(), rows.get(1).get("key").asText(),
                rows.get(2).get("key").asText()), r.out());
        assertEquals(3, rows.size());
        JsonNode first = rows.get(0);
        assertEquals("public-key", first.get("encryption").asText());
        assertEquals(21, first.get("tables").asInt());
        assertEquals("nofilm", rows.get(1).get("tag").asText());
        assertEquals(20, rows.get(1).get("tables").asInt());
        assertTrue(first.get("stored_bytes").asLong() > 100_000, first.toString());
        assertEquals(BackupKey.parse(fx.full + ".x").orElseThrow().time(), Instant.parse(first.get("time").asText()));

        Run table = run(fx.env(), "list");
        assertEquals(0, table.code(), table.all());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).startsWith("KEY"), table.out());
        assertTrue(lines.get(3).startsWith(fx.tiny + " "), table.out());

        Run limited = run(fx.env(), "list", "--json", "--limit", "1");
        JsonNode one = Json.mapper().readTree(limited.out()).get("backups");
        assertEquals(1, one.size());
        assertEquals(fx.tiny, one.get(0).get("key").asText());
    }

    @Test
    void incompleteBackupsOnlyWithAllMarkedIncomplete() throws Exception {
        String complete = fx.copy(fx.full, "listed");
        String incomplete = fx.copy(fx.noFilm, "listed");
        fx.delete(incomplete + BackupKey.MANIFEST_SUFFIX);
        var env = with(fx.env(), "BACKUP_SOURCE_NAME", "listed");

        Run plain = run(env, "list");
        assertEquals(0, plain.code(), plain.all());
        assertTrue(plain.out().contains(complete + " "), plain.out());
        assertFalse(plain.out().contains(incomplete), plain.out());

        Run all = run(env, "list", "--all");
        assertEquals(0, all.code(), all.all());
        String line = all.out().lines().filter(l -> l.startsWith(incomplete + " ")).findFirst().orElseThrow();
        assertTrue(line.endsWith("INCOMPLETE (no manifest)"), line);
        List<String> keys = all.out().lines().skip(1).map(l -> l.split(" ")[0]).toList();
        assertEquals(List.of(complete, incomplete), keys, "newest last");

        Run none = run(with(fx.env(), "BACKUP_SOURCE_NAME", "nothing-here"), "list");
        assertEquals(0, none.code(), none.all());
        assertTrue(none.out().startsWith("no backups of nothing-here in s3://"), none.out());
    }
}
