package dev.lifeboat.ops;

import dev.lifeboat.config.Env;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The file locks of a {@link LockSpec}, taken in order and released in reverse. */
final class RunLocks implements AutoCloseable {
    private final List<RunLock> held;

    private RunLocks(List<RunLock> held) {
        this.held = held;
    }

    static RunLocks acquire(LockSpec spec, Env env, String command, Instant started) {
        List<RunLock> held = new ArrayList<>();
        if (spec.entries().isEmpty()) return new RunLocks(held);
        Path dir = LockDir.resolve(env);
        try {
            for (LockSpec.Entry e : spec.entries()) held.add(RunLock.acquire(dir, e.name(), e.mode(), command, started));
        } catch (RuntimeException e) {
            new RunLocks(held).close();
            throw e;
        }
        return new RunLocks(held);
    }

    @Override
    public void close() {
        for (int i = held.size() - 1; i >= 0; i--) held.get(i).close();
    }
}
