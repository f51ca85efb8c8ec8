package dev.lifeboat.pg;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL client program (pg_dump, pg_dumpall, pg_restore, psql) run as a child with an
 * environment built from scratch: only the given PG* values, a fixed PATH and locale. Its
 * stderr is drained on a thread (the last lines are kept for the error message); the password
 * travels in the child's own environment, never in its argv. pg_dump's archive crosses its pipe
 * 1 MiB at a time ({@link ChildPipes}).
 */
public final class PgChild implements AutoCloseable {
    private static final int KEEP_LINES = 20;
    private final String name;
    private final Process process;
    private final Thread drain;
    private final Deque<String> lastLines = new ArrayDeque<>();

    private PgChild(String name, Process process) {
        this.name = name;
        this.process = process;
        this.drain = new Thread(this::drainStderr, name + "-stderr");
        this.drain.setDaemon(true);
        this.drain.start();
    }

    public static PgChild start(Path program, List<String> args, Map<String, String> pgEnv) {
        boolean bulk = ChildPipes.streamsOut(program);
        List<String> cmd = new ArrayList<>(bulk ? ChildPipes.prefix() : List.of());
        cmd.add(program.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LC_ALL", "C.UTF-8");
        env.put("PGCLIENTENCODING", "UTF8");
        env.putAll(pgEnv);
        try {
            Process p = pb.start();
            if (bulk) ChildPipes.enlargeStdout(p.pid());
            return new PgChild(program.getFileName().toString(), p);
        } catch (IOException e) {
            throw LifeboatException.failed("cannot start " + program + ": " + e.getMessage(), e);
        }
    }

    private void drainStderr() {
        try (InputStream err = process.getErrorStream()) {
            StringBuilder line = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while ((n = err.read(buf)) > 0) {
                String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                for (char ch : s.toCharArray()) {
                    if (ch == '\n') {
                        keep(line.toString());
                        line.setLength(0);
                    } else if (line.length() < 2000) {
                        line.append(ch);
                    }
                }
            }
            if (line.length() > 0) keep(line.toString());
        } catch (IOException ignored) {
            // the child is gone; what was read is kept
        }
    }

    private synchronized void keep(String line) {
        if (line.isBlank()) return;
        lastLines.addLast(line);
        while (lastLines.size() > KEEP_LINES) lastLines.removeFirst();
    }

    public InputStream stdout() { return process.getInputStream(); }
    public OutputStream stdin() { return process.getOutputStream(); }
    public long pid() { return process.pid(); }
    public String name() { return name; }

    /** Waits for the child and its stderr; returns the exit code. */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        drain.join(10_000);
        return code;
    }

    /** The child's last stderr lines, joined (for error messages). */
    public synchronized String stderr() {
        return String.join(" | ", lastLines);
    }

    /** The first stderr line that says "error" (pg_dump's own error text), else the last line. */
    public synchronized String errorText() {
        for (String l : lastLines) {
            if (l.contains("error:") || l.contains("ERROR") || l.contains("FATAL")) return l;
        }
        return lastLines.isEmpty() ? "(no message)" : lastLines.getLast();
    }

    /** Waits and throws exit 3 naming the child's own error text unless it exited 0. */
    public void requireSuccess() throws InterruptedException {
        int code = waitFor();
        if (code != 0) {
            throw LifeboatException.failed(name + " failed (exit " + code + "): " + errorText());
        }
    }

    /** Stops the child if it still runs (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
