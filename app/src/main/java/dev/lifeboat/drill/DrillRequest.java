package dev.lifeboat.drill;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.restore.Selection;
import dev.lifeboat.stage.Decryptor;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A validated drill.
 *
 * @param live      the live database (never touched; only read for uncovered tables)
 * @param server    where the throwaway database is made (DRILL_DATABASE_URL, else the live server)
 * @param checkSql  the operator's own checks (queries that must return true), or null
 * @param strict    uncovered live tables fail the drill instead of warning
 * @param parallelism --jobs and --spool
 */
public record DrillRequest(DatabaseUrl live, DatabaseUrl server, String source, Selection selection, Decryptor decryptor,
                           Duration rtoTarget, Path checkSql, boolean strict, boolean keep, dev.lifeboat.restore.Parallelism parallelism) {}
