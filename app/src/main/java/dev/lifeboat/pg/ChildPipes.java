package dev.lifeboat.pg;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Larger pipe transfers from pg_dump to lifeboat.
 *
 * <p>pg_dump writes its archive through C stdio, which on a pipe buffers 4 KiB: 1.5 GB crosses
 * the pipe in some 380,000 writes, each one waking the reader, and the kernel's copying and
 * scheduling on both sides cost more CPU than the whole encryption. Two changes make the
 * transfers 1 MiB (both are needed: a bigger pipe alone still gets 4 KiB writes):
 * <ul>
 *   <li>pg_dump runs under coreutils' {@code stdbuf}, which gives its stdout a 1 MiB stdio
 *       buffer; pg_dump still flushes and checks its output when it closes the archive;</li>
 *   <li>the pipe between pg_dump and lifeboat holds 1 MiB ({@code F_SETPIPE_SZ}, through JNA)
 *       instead of 64 KiB.</li>
 * </ul>
 * Both are optimisations only: without {@code stdbuf}, without JNA, or when the kernel refuses
 * the size (a user over {@code pipe-user-pages-soft}), the child runs as before.
 * {@code LIFEBOAT_CHILD_BUFFERS=off} turns both off.
 */
public final class ChildPipes {
    static final int SIZE = 1 << 20;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final boolean ON = !"off".equals(System.getenv("LIFEBOAT_CHILD_BUFFERS"));
    private static final java.util.concurrent.CompletableFuture<Optional<Path>> STDBUF =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> ON ? find() : Optional.empty(), ChildPipes::daemon);

    private ChildPipes() {}

    /**
     * Starts finding stdbuf and loading libc through JNA (a tenth of a second: JNA runs
     * {@code ldconfig -p} as it starts) on a thread of their own, so that neither delays the
     * child that needs them; call it when a run that will start one begins.
     */
    public static void prepare() {
        if (ON) daemon(LibC::get);
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "lifeboat-child-pipes");
        t.setDaemon(true);
        t.start();
    }

    /** Whether lifeboat reads {@code program}'s archive from its stdout in bulk: pg_dump's. */
    static boolean streamsOut(Path program) {
        return ON && program.getFileName().toString().equals("pg_dump");
    }

    /** What goes before pg_dump in its command line: {@code stdbuf -o1048576}, or nothing. */
    static List<String> prefix() {
        Optional<Path> stdbuf = STDBUF.join();
        return stdbuf.isEmpty() ? List.of() : List.of(stdbuf.get().toString(), "-o" + SIZE);
    }

    /**
     * Makes the pipe on the child's stdout hold {@link #SIZE} bytes: it is opened again through
     * {@code /proc/<pid>/fd/1} (a second, non-blocking read handle on the same pipe), resized
     * and closed. Returns whether the size was set.
     */
    static boolean enlargeStdout(long pid) {
        LibC c = LibC.get();
        if (c == null) return false;
        int fd = c.open("/proc/" + pid + "/fd/1", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) return false; // the child is already gone, or its stream is not a pipe we may open
        try {
            return c.fcntl(fd, F_SETPIPE_SZ, SIZE) >= SIZE;
        } finally {
            c.close(fd);
        }
    }

    /** coreutils' stdbuf, if it is here and works (it needs its preload library, which it finds itself). */
    private static Optional<Path> find() {
        for (String p : List.of("/usr/bin/stdbuf", "/bin/stdbuf")) {
            Path path = Path.of(p);
            if (Files.isExecutable(path)) return works(path) ? Optional.of(path) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean works(Path stdbuf) {
        try {
            Process p = new ProcessBuilder(stdbuf.toString(), "-o" + SIZE, "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The three libc calls used; loaded on first use, null where JNA cannot load libc. */
    interface LibC extends Library {
        int open(String path, int flags);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);

        static LibC get() {
            return Holder.LIBC;
        }
    }

    private static final class Holder {
        static final LibC LIBC = load();

        private static LibC load() {
            try {
                return Native.load("c", LibC.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return null;
            }
        }
    }
}
