package dev.lifeboat.ops;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host-local run lock: an OS file lock ({@link FileChannel#tryLock}) on {@code <dir>/<name>.lock},
 * shared or exclusive. The OS drops it when the process dies, even by {@code kill -9}, so a
 * crashed run never leaves a lock behind; the file itself is never deleted (deleting lock
 * files races).
 *
 * <p>Who holds it: the lock proper is one byte far past the end of the file. Each holder also
 * takes an exclusive lock on one of {@value #SLOTS} fixed-width text lines at the start of the
 * file and writes {@code pid=… host=… started=… command=… mode=…} there; a slot whose byte
 * range is not locked is free, whatever stale text a crashed holder left in it. A party that
 * finds the lock taken probes the slots and names a live holder.
 *
 * <p>Within one JVM a second attempt on a lock this JVM holds also fails (Java reports the
 * overlap); note that on Linux closing any channel on the file drops this process's locks
 * on it, so one process should not open the same lock file twice while holding it.
 */
public final class RunLock implements AutoCloseable {
    static final int SLOTS = 64;
    static final int SLOT_SIZE = 128;
    private static final long LOCK_POSITION = 1L << 40;

    private final String name;
    private final FileChannel channel;
    private final FileLock lock;
    private final FileLock slot;

    private RunLock(String name, FileChannel channel, FileLock lock, FileLock slot) {
        this.name = name;
        this.channel = channel;
        this.lock = lock;
        this.slot = slot;
    }

    /** Takes the lock at once or throws {@link LifeboatException#locked} naming a holder. */
    public static RunLock acquire(Path dir, String name, LockSpec.Mode mode, String command, Instant started) {
        Path file = dir.resolve(fileName(name));
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel, LOCK_POSITION, 1, mode == LockSpec.Mode.SHARED);
            if (lock == null) {
                String holder = describeHolder(channel);
                throw LifeboatException.locked("another run holds the lock " + name + " (" + file + "): " + holder
                        + "; exiting without doing anything");
            }
            String line = "pid=" + Host.pid() + " host=" + Host.name() + " started=" + started
                    + " command=" + command + " mode=" + mode.name().toLowerCase();
            FileLock slot = claimSlot(channel, line);
            RunLock held = new RunLock(name, channel, lock, slot);
            channel = null;
            return held;
        } catch (IOException e) {
            throw LifeboatException.config("cannot use lock file " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        } finally {
            if (channel != null) closeQuietly(channel);
        }
    }

    public String name() {
        return name;
    }

    /** Clears this holder's line and releases the lock. */
    @Override
    public void close() {
        try {
            if (slot != null) {
                channel.write(ByteBuffer.wrap(pad("")), slot.position());
                slot.release();
            }
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases everything anyway
        } finally {
            closeQuietly(channel);
        }
    }

    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock";
    }

    private static FileLock tryLock(FileChannel channel, long position, long size, boolean shared) throws IOException {
        try {
            return channel.tryLock(position, size, shared);
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static FileLock claimSlot(FileChannel channel, String line) throws IOException {
        for (int i = 0; i < SLOTS; i++) {
            FileLock slot = tryLock(channel, (long) i * SLOT_SIZE, SLOT_SIZE, false);
            if (slot != null) {
                channel.write(ByteBuffer.wrap(pad(line)), slot.position());
                channel.force(false);
                return slot;
            }
        }
        return null; // more than SLOTS holders: hold the lock without a line
    }

    private static String describeHolder(FileChannel channel) throws IOException {
        List<String> live = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            long position = (long) i * SLOT_SIZE;
            FileLock probe = tryLock(channel, position, SLOT_SIZE, true);
            if (probe != null) {
                probe.release();
                continue;
            }
            ByteBuffer buf = ByteBuffer.allocate(SLOT_SIZE);
            channel.read(buf, position);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
            if (!text.isEmpty()) live.add(text);
        }
        if (live.isEmpty()) return "held by a process that has not written its name yet";
        String first = LockHolder.parse(live.get(0)).describe();
        return live.size() == 1 ? "held by " + first : "held by " + first + " and " + (live.size() - 1) + " more";
    }

    private static byte[] pad(String line) {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[SLOT_SIZE];
        Arrays.fill(out, (byte) ' ');
        System.arraycopy(text, 0, out, 0, Math.min(text.length, SLOT_SIZE - 1));
        out[SLOT_SIZE - 1] = '\n';
        return out;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
