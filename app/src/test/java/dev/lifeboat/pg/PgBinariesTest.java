package dev.lifeboat.pg;

import dev.lifeboat.harness.Scratch;
import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lowest installed pg_dump whose major is at least the server's; PG_BIN_DIR overrides; a clear line when none fits. */
class PgBinariesTest {
    static Path fakeInstall(Path root, String major, String version) throws Exception {
        Path bin = Files.createDirectories(root.resolve(major).resolve("bin"));
        Path dump = bin.resolve("pg_dump");
        Files.writeString(dump, "#!/bin/sh\necho 'pg_dump (PostgreSQL) " + version + "'\n");
        Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void picksTheLowestInstalledMajorThatCanDumpTheServer() throws Exception {
        Path root = Scratch.dir("pgroot-");
        fakeInstall(root, "13", "13.16");
        Path v15 = fakeInstall(root, "15", "15.18");
        fakeInstall(root, "17", "17.2");
        Env env = Env.of(Map.of());
        PgBinaries b = PgBinaries.forServer(env, PgVersion.fromNum(140012), root, false);
        assertEquals(v15, b.dir());
        assertEquals(15, b.version().major());
        assertEquals(13, PgBinaries.forServer(env, PgVersion.fromNum(130004), root, false).version().major());
        LifeboatException none = assertThrows(LifeboatException.class,
                () -> PgBinaries.forServer(env, PgVersion.fromNum(180001), root, false));
        assertEquals(ExitCode.USAGE, none.exitCode());
        assertTrue(none.getMessage().contains("18.1") && none.getMessage().contains("17.2"), "names both versions: " + none.getMessage());
    }

    @Test
    void pgBinDirOverridesAndMustBeNewEnough() throws Exception {
        Path root = Scratch.dir("pgroot-");
        Path old = fakeInstall(root, "12", "12.20");
        Env env = Env.of(Map.of("PG_BIN_DIR", old.toString()));
        LifeboatException e = assertThrows(LifeboatException.class, () -> PgBinaries.forServer(env, PgVersion.fromNum(150018)));
        assertTrue(e.getMessage().contains("pg_dump 12.20") && e.getMessage().contains("15.18") && e.getMessage().contains("PG_BIN_DIR"), e.getMessage());
        assertEquals(old, PgBinaries.forServer(env, PgVersion.fromNum(110005)).dir());
        Env missing = Env.of(Map.of("PG_BIN_DIR", root.resolve("nowhere").toString()));
        assertEquals(ExitCode.USAGE, assertThrows(LifeboatException.class,
                () -> PgBinaries.forServer(missing, PgVersion.fromNum(150018))).exitCode());
    }
}
