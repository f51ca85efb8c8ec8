package dev.lifeboat.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lists everything under a prefix by walking its '/' levels with up to {@code threads} listings
 * at once (as rclone does by default), instead of one recursive listing page after page. Many
 * stores answer a level's listing far quicker than a page of a recursive one, and the levels
 * list in parallel. A level with more than {@link #WIDE} sub-prefixes (say one per object) is
 * listed recursively instead, so a walk never costs much more than a recursive listing.
 * The result is the same set of entries as a recursive listing, in no particular order.
 */
public final class PrefixWalk<T> {
    /** Sub-prefixes of one level beyond which that level is listed recursively. */
    public static final int WIDE = 256;

    /** One level of a listing: the entries and the sub-prefixes ("prefix" + segment + "/"). */
    public record Level<T>(List<T> entries, List<String> prefixes) {}

    /** A store's listing calls. */
    public interface Lister<T> {
        /**
         * With delimiter '/': the entries directly under {@code prefix} and its sub-prefixes; may
         * stop early (returning null) once more than {@code maxPrefixes} sub-prefixes were seen.
         */
        Level<T> level(String prefix, int maxPrefixes) throws IOException;

        /** Every entry under {@code prefix}, recursively. */
        List<T> all(String prefix) throws IOException;
    }

    /** One level's listing, as {@link Lister#level}. */
    @FunctionalInterface
    public interface LevelLister<T> {
        Level<T> level(String prefix, int maxPrefixes) throws IOException;
    }

    /** A recursive listing, as {@link Lister#all}. */
    @FunctionalInterface
    public interface AllLister<T> {
        List<T> all(String prefix) throws IOException;
    }

    private final Lister<T> lister;
    private final int threads;

    public PrefixWalk(Lister<T> lister, int threads) {
        this.lister = lister;
        this.threads = Math.max(1, threads);
    }

    /** Everything under {@code prefix}, sorted by {@code key}: walked with {@code threads} listings at once, or (1) listed recursively. */
    public static <T> List<T> sorted(LevelLister<T> level, AllLister<T> all, int threads, String prefix,
                                     java.util.function.Function<T, String> key) throws IOException {
        List<T> out = new PrefixWalk<>(new Lister<T>() {
            @Override
            public Level<T> level(String p, int maxPrefixes) throws IOException {
                return level.level(p, maxPrefixes);
            }

            @Override
            public List<T> all(String p) throws IOException {
                return all.all(p);
            }
        }, threads).list(prefix);
        out.sort(java.util.Comparator.comparing(key));
        return out;
    }

    public List<T> list(String prefix) throws IOException {
        if (threads == 1) return lister.all(prefix);
        ConcurrentLinkedQueue<T> out = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Pending pending = new Pending();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "list-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            submit(pool, pending, failure, out, prefix);
            pending.awaitNone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("listing " + prefix + " interrupted");
        } finally {
            pool.shutdownNow();
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IOException(t);
        return new ArrayList<>(out);
    }

    private void submit(ExecutorService pool, Pending pending, AtomicReference<Throwable> failure, ConcurrentLinkedQueue<T> out, String prefix) {
        pending.add();
        pool.execute(() -> {
            try {
                if (failure.get() != null) return;
                Level<T> level = lister.level(prefix, WIDE);
                if (level == null) {
                    out.addAll(lister.all(prefix));
                    return;
                }
                boolean sane = level.prefixes().stream().allMatch(p -> p.length() > prefix.length() && p.startsWith(prefix));
                if (!sane) {
                    out.addAll(lister.all(prefix));
                    return;
                }
                out.addAll(level.entries());
                for (String p : level.prefixes()) submit(pool, pending, failure, out, p);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                pending.done();
            }
        });
    }

    /** Listings submitted and not finished. */
    private static final class Pending {
        private int count;

        synchronized void add() {
            count++;
        }

        synchronized void done() {
            if (--count == 0) notifyAll();
        }

        synchronized void awaitNone() throws InterruptedException {
            while (count > 0) wait();
        }
    }
}
