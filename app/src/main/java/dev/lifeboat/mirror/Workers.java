package dev.lifeboat.mirror;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of copy threads with a bounded backlog: {@link #submit} blocks while
 * {@code 2 x threads} tasks are queued or running, so a listing of a million keys never becomes a
 * million queued tasks. Tasks handle their own errors.
 */
final class Workers implements AutoCloseable {
    private final int slots;
    private final Semaphore free;
    private final ExecutorService pool;

    Workers(int threads, String name) {
        this.slots = threads * 2;
        this.free = new Semaphore(slots);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void submit(Runnable task) {
        try {
            free.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting copies", e);
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    free.release();
                }
            });
        } catch (RuntimeException e) {
            free.release();
            throw e;
        }
    }

    /** Waits until every submitted task has ended, calling {@code progress} every {@code every}. */
    void awaitAll(Duration every, Runnable progress) {
        try {
            while (!free.tryAcquire(slots, every.toMillis(), TimeUnit.MILLISECONDS)) progress.run();
            free.release(slots);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the copies", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
