package dev.lifeboat.ops;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the last lines written to {@code System.err} (where slf4j-simple logs) while a run
 * lasts, for the failure notice. It tees: everything still reaches the real stderr. A
 * {@code \r} starts the line over (progress lines redraw themselves). {@link #close()} puts
 * the previous stream back if nobody replaced it in the meantime.
 */
public final class LogTail implements AutoCloseable {
    private final int max;
    private final Deque<String> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final PrintStream previous;
    private final PrintStream tee;

    private LogTail(int max) {
        this.max = max;
        this.previous = System.err;
        this.tee = new PrintStream(new Tee(previous), true, StandardCharsets.UTF_8);
    }

    /** Starts keeping the last {@code max} lines of stderr. */
    public static LogTail captureStderr(int max) {
        LogTail tail = new LogTail(max);
        System.setErr(tail.tee);
        return tail;
    }

    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>(lines);
        if (current.size() > 0) out.add(current.toString(StandardCharsets.UTF_8));
        return out;
    }

    @Override
    public void close() {
        tee.flush();
        if (System.err == tee) System.setErr(previous);
    }

    private synchronized void take(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == '\n') {
                lines.addLast(current.toString(StandardCharsets.UTF_8));
                current.reset();
                if (lines.size() > max) lines.removeFirst();
            } else if (c == '\r') {
                current.reset();
            } else if (current.size() < 4096) {
                current.write(c);
            }
        }
    }

    private final class Tee extends OutputStream {
        private final OutputStream out;

        Tee(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            take(b, off, len);
            try {
                out.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // stderr is gone: keep the tail anyway
            }
        }

        @Override
        public void flush() {
            try {
                out.flush();
            } catch (java.io.IOException ignored) {
                // nothing to do
            }
        }
    }
}
