package dev.lifeboat.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this process that locks, metrics and notices name: host name, pid, uid. */
final class Host {
    private Host() {}

    /** The kernel's host name (no DNS lookup, which can hang on a badly configured host). */
    static String name() {
        try {
            String n = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!n.isEmpty()) return n;
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The numeric user id, or the user name where there is none. */
    static String uid() {
        try {
            return Long.toString(new com.sun.security.auth.module.UnixSystem().getUid());
        } catch (RuntimeException | LinkageError e) {
            return System.getProperty("user.name", "unknown");
        }
    }
}
