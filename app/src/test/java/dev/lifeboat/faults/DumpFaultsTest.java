package dev.lifeboat.faults;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.harness.Fixtures;
import dev.lifeboat.harness.Lifeboat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the dump goes wrong on the database side or the disk: pg_dump failing in the middle of
 * its stream (a table it may not read), and BACKUP_DIR on a full file system. Exit 3 with the
 * real cause, nothing visible, the previous good backup still restores with stock tools.
 */
class DumpFaultsTest {
    static final String DB = "faults_rls";
    static final String READER = "faults_rls_reader";
    static final String READER_PASSWORD = "rls-Reader-8812";
    static FaultBed bed;

    @BeforeAll
    static void setUp() throws Exception {
        bed = FaultBed.start();
        bed.fixture("faults_pagila", Fixtures.PAGILA);
        if (!bed.databaseExists(DB)) {
            bed.pg.createDatabase(DB);
            bed.pg.execute(DB, "CREATE TABLE a_orders AS SELECT g AS id, md5(g::text) AS note FROM generate_series(1, 20000) g");
            bed.pg.execute(DB, "CREATE TABLE m_secrets AS SELECT g AS id, md5(g::text) AS secret FROM generate_series(1, 100) g");
            bed.pg.execute(DB, "ALTER TABLE m_secrets ENABLE ROW LEVEL SECURITY");
            bed.pg.execute(DB, "CREATE POLICY everyone ON m_secrets USING (true)");
            bed.pg.execute(DB, "CREATE TABLE z_events AS SELECT g AS id, md5(g::text) AS what FROM generate_series(1, 20000) g");
            bed.pg.createRole(READER, READER_PASSWORD);
            bed.pg.execute(DB, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        bed.close();
    }

    @Test
    void pgDumpFailingMidStreamExits3WithItsOwnErrorAndLeavesNothing() throws Exception {
        String bucket = bed.bucket("pgdump-fails");
        Map<String, String> env = bed.env(DB, bucket);
        String good = bed.backup(env); // as the superuser: row-level security does not apply
        List<String> objects = bed.objects(bucket);
        FaultBed.nextSecond();

        // the reader may read every table, but pg_dump (row_security off) refuses the one with a policy
        env.put("DATABASE_URL", "postgresql://" + READER + ":" + READER_PASSWORD + "@127.0.0.1:" + bed.pg.port() + "/" + DB);
        Lifeboat.Result r = Lifeboat.run(env, "backup");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("pg_dump") && r.err().contains("m_secrets"), "pg_dump's own error text: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        bed.assertObjects(bucket, objects);
        bed.stockRestoreList(bucket, good);
    }

    @Test
    void backupDirOnAFullFileSystemExits3NoSpaceLeftAndLeavesNoPartialFile() throws Exception {
        Path dir = Scratch.dir("faults-full-");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor() == 0, "a small tmpfs needs root (mount -t tmpfs): " + said.strip());
        try {
            Map<String, String> env = bed.env("faults_pagila", "unused");
            env.keySet().removeIf(k -> k.startsWith("BACKUP_S3_"));
            env.put("BACKUP_DIR", dir.toString());
            Lifeboat.Result r = Lifeboat.run(env, "backup");
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("no space left on " + dir), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            try (var files = Files.walk(dir)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no partial or temporary file");
            }
        } finally {
            new ProcessBuilder("umount", dir.toString()).start().waitFor();
            Files.deleteIfExists(dir);
        }
    }
}
