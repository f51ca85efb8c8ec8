package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void secondHolderInTheSameProcessGetsExit75AtOnceNamingTheHolder() {
        Instant started = Instant.parse("2024-05-01T10:00:00Z");
        try (RunLock first = RunLock.acquire(dir, "backup-shop", LockSpec.Mode.EXCLUSIVE, "backup", started)) {
            long t0 = System.nanoTime();
            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> RunLock.acquire(dir, "backup-shop", LockSpec.Mode.EXCLUSIVE, "backup", Instant.now()));
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the second run must not wait");
            assertEquals(ExitCode.LOCKED, e.exitCode());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("on " + Host.name()), e.getMessage());
            assertTrue(e.getMessage().contains("started 2024-05-01T10:00:00Z"), e.getMessage());
        }
    }

    @Test
    void aLockKilledWithSigkillIsFreeAgainAndTheHolderIsNamedWhileItLives() throws Exception {
        long childPid;
        try (ChildJvm child = new ChildJvm(LockHolderMain.class, dir.toString(), "backup-shop", "EXCLUSIVE")) {
            childPid = Long.parseLong(child.awaitLine("ready ").substring(6));
            String content = Files.readString(dir.resolve("backup-shop.lock"));
            assertTrue(content.contains("pid=" + childPid + " host=" + Host.name()), content);

            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> RunLock.acquire(dir, "backup-shop", LockSpec.Mode.EXCLUSIVE, "backup", Instant.now()));
            assertEquals(ExitCode.LOCKED, e.exitCode());
            assertTrue(e.getMessage().contains("pid " + childPid + " on " + Host.name()), e.getMessage());

            child.process.destroyForcibly(); // kill -9: no cleanup code runs in the child
            assertEquals(137, child.process.waitFor());
        }
        try (RunLock again = RunLock.acquire(dir, "backup-shop", LockSpec.Mode.EXCLUSIVE, "backup", Instant.now())) {
            String now = Files.readString(dir.resolve("backup-shop.lock"));
            assertTrue(now.contains("pid=" + ProcessHandle.current().pid() + " "), now);
            assertTrue(!now.contains("pid=" + childPid + " "), "the dead holder's line was replaced: " + now);
        }
    }

    @Test
    void readersShareTheStoreLockAndRotateIsRefusedNamingAReader() throws Exception {
        try (ChildJvm reader = new ChildJvm(LockHolderMain.class, dir.toString(), "store-shop", "SHARED")) {
            long readerPid = Long.parseLong(reader.awaitLine("ready ").substring(6));
            try (RunLock second = RunLock.acquire(dir, "store-shop", LockSpec.Mode.SHARED, "verify", Instant.now())) {
                assertEquals("store-shop", second.name());
            }
            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> RunLock.acquire(dir, "store-shop", LockSpec.Mode.EXCLUSIVE, "rotate", Instant.now()));
            assertEquals(ExitCode.LOCKED, e.exitCode());
            assertTrue(e.getMessage().contains("pid " + readerPid), e.getMessage());
            assertTrue(e.getMessage().contains("shared"), e.getMessage());
        }
    }

    @Test
    void exclusiveHolderKeepsReadersOut() throws Exception {
        try (ChildJvm rotate = new ChildJvm(LockHolderMain.class, dir.toString(), "store-shop", "EXCLUSIVE")) {
            rotate.awaitLine("ready ");
            LifeboatException e = assertThrows(LifeboatException.class,
                    () -> RunLock.acquire(dir, "store-shop", LockSpec.Mode.SHARED, "restore", Instant.now()));
            assertEquals(ExitCode.LOCKED, e.exitCode());
        }
    }

    @Test
    void defaultLockDirIsUnderXdgRuntimeDirWithMode0700() throws Exception {
        Path lockDir = LockDir.resolve(Env.of(Map.of("XDG_RUNTIME_DIR", dir.toString())));
        assertEquals(dir.resolve("lifeboat"), lockDir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lockDir)));
        Path explicit = LockDir.resolve(Env.of(Map.of("BACKUP_LOCK_DIR", dir.resolve("x/locks").toString(), "XDG_RUNTIME_DIR", dir.toString())));
        assertEquals(dir.resolve("x/locks"), explicit);
    }

    @Test
    void unsafeCharactersInNamesStayInsideTheLockDir() {
        assertEquals("backup-.._etc_passwd.lock", RunLock.fileName("backup-../etc/passwd"));
    }
}
