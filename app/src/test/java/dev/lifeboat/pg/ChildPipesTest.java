package dev.lifeboat.pg;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.lifeboat.harness.Scratch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pg_dump's archive crosses a 1 MiB pipe from a 1 MiB stdio buffer (stdbuf); every other child
 * keeps the kernel's and libc's defaults. The children here are scripts named like the real
 * programs: each reports the stdio buffer stdbuf gave it, and the test asks the kernel the
 * size of the pipe on the child's stdout.
 */
class ChildPipesTest {
    private static final int F_GETPIPE_SZ = 1032;

    interface LibC extends Library {
        int open(String path, int flags);

        int fcntl(int fd, int cmd);

        int close(int fd);
    }

    private static final LibC C = Native.load("c", LibC.class);

    /** The capacity of the pipe on {@code pid}'s stdout, as the kernel reports it. */
    private static int stdoutPipeSize(long pid) {
        int fd = C.open("/proc/" + pid + "/fd/1", 04000); // O_RDONLY | O_NONBLOCK
        assertTrue(fd >= 0, "cannot open the child's stdout pipe");
        try {
            return C.fcntl(fd, F_GETPIPE_SZ);
        } finally {
            C.close(fd);
        }
    }

    /**
     * A script named {@code name} that waits for its stdin to close, then prints stdbuf's
     * setting for its stdout (it reads with {@code read}, not {@code cat >/dev/null}: sh would
     * point its own stdout at /dev/null while cat runs).
     */
    private static Path fake(String name) throws Exception {
        Path p = Scratch.dir("childpipes-").resolve(name);
        Files.writeString(p, "#!/bin/sh\nwhile read -r _; do :; done\nprintf 'stdout buffer: %s' \"${_STDBUF_O:-default}\"\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static String runToEnd(PgChild child) throws Exception {
        child.stdin().close();
        String out = new String(child.stdout().readAllBytes(), StandardCharsets.UTF_8);
        child.requireSuccess();
        return out;
    }

    @Test
    void pgDumpWritesThroughAOneMebibytePipeFromAOneMebibyteBuffer() throws Exception {
        ChildPipes.prepare();
        try (PgChild dump = PgChild.start(fake("pg_dump"), List.of("--format=custom"), Map.of("PGDATABASE", "app"))) {
            assertEquals(1 << 20, stdoutPipeSize(dump.pid()));
            assertEquals("pg_dump", dump.name());
            assertEquals("stdout buffer: 1048576", runToEnd(dump));
        }
    }

    @Test
    void otherChildrenKeepTheDefaults() throws Exception {
        for (String name : List.of("pg_dumpall", "pg_restore", "psql")) {
            try (PgChild child = PgChild.start(fake(name), List.of(), Map.of())) {
                assertEquals(64 << 10, stdoutPipeSize(child.pid()), name);
                assertEquals("stdout buffer: default", runToEnd(child), name);
            }
        }
    }
}
