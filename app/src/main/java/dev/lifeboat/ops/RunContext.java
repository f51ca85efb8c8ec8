package dev.lifeboat.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a {@link Job} gets from {@link Operations#run}: progress lines, cancellation (timeout,
 * SIGTERM), and the place to put what metrics and notices report (key, bytes, objects,
 * command-specific gauges). Setters may be called from any thread, any number of times;
 * the last value wins. Values set before a failure are still reported.
 */
public final class RunContext {
    private final String command;
    private final String source;
    private final Instant started;
    private final Cancellation cancellation;
    private final Progress.Output progressOutput;
    private final List<Progress> progresses = new ArrayList<>();
    private final Map<Gauge, Double> gauges = new EnumMap<>(Gauge.class);
    private String key;
    private long bytes;
    private long objects;

    RunContext(String command, String source, Instant started, Cancellation cancellation, Progress.Output progressOutput) {
        this.command = command;
        this.source = source;
        this.started = started;
        this.cancellation = cancellation;
        this.progressOutput = progressOutput;
    }

    /**
     * A context for a job run outside {@link Operations} (a nested job, a test): no locks or
     * notices; cancellation is bound to the calling thread; progress is logged every 30 s.
     */
    public static RunContext standalone(String command, String source, Instant started) {
        return new RunContext(command, source, started, new Cancellation(Thread.currentThread()),
                new Progress.Output(false, System.err, java.time.Duration.ofSeconds(30)));
    }

    public String command() { return command; }
    public String source() { return source; }
    public Instant started() { return started; }

    /** A progress line for one transfer stage; close it when the stage ends (the run closes leftovers). */
    public Progress progress(String stage, LongSupplier bytes) {
        return progress(stage, bytes, -1);
    }

    /** As {@link #progress(String, LongSupplier)}, with the expected total for a percentage. */
    public synchronized Progress progress(String stage, LongSupplier bytes, long totalBytes) {
        Progress p = progressOutput.start(stage, bytes, totalBytes);
        progresses.add(p);
        return p;
    }

    /** Runs {@code abort} if the run is cancelled (timeout, signal): destroy a child process, abort an upload. */
    public Cancellation.Registration onCancel(Runnable abort) {
        return cancellation.onCancel(abort);
    }

    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    /** For loops between blocking steps: throws the run's end if it was cancelled. */
    public void throwIfCancelled() {
        cancellation.throwIfCancelled();
    }

    /** The main object written or read (e.g. the dump's key), for notices. */
    public synchronized void key(String key) { this.key = key; }
    /** Bytes written or read (lifeboat_last_run_bytes). */
    public synchronized void bytes(long bytes) { this.bytes = bytes; }
    /** Objects written, read, copied or deleted (lifeboat_last_run_objects). */
    public synchronized void objects(long objects) { this.objects = objects; }
    /** A command-specific series: drill's restore seconds and differences, verify's backup age. */
    public synchronized void gauge(Gauge gauge, double value) { gauges.put(gauge, value); }

    synchronized String key() { return key; }
    synchronized long bytes() { return bytes; }
    synchronized long objects() { return objects; }
    synchronized Map<Gauge, Double> gauges() { return Map.copyOf(gauges); }

    synchronized void closeProgress() {
        for (Progress p : progresses) p.close();
        progresses.clear();
    }
}
