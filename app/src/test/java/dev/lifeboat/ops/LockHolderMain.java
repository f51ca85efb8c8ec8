package dev.lifeboat.ops;

import java.nio.file.Path;
import java.time.Instant;

/** Child process for the lock tests: takes a lock, prints "ready <pid>", holds it until stdin ends. */
public final class LockHolderMain {
    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), args[1], LockSpec.Mode.valueOf(args[2]), "backup", Instant.now())) {
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
