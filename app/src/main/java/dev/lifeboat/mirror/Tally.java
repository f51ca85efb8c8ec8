package dev.lifeboat.mirror;

import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The counters of one run, updated by the copy workers. */
final class Tally {
    final AtomicInteger copied = new AtomicInteger();
    final AtomicInteger replaced = new AtomicInteger();
    final AtomicInteger removed = new AtomicInteger();
    final AtomicInteger skipped = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    private final ConcurrentLinkedQueue<MirrorReport.Failed> failed = new ConcurrentLinkedQueue<>();
    private final Logger log;

    Tally(Logger log) {
        this.log = log;
    }

    void fail(String key, String reason) {
        failed.add(new MirrorReport.Failed(key, reason));
        log.warn("{}: {}", key, reason);
    }

    void fail(String key, Exception e) {
        String m = e.getMessage();
        fail(MirrorKeys.printable(key), e.getClass().getSimpleName() + (m == null ? "" : ": " + m));
    }

    boolean anyFailed() {
        return !failed.isEmpty();
    }

    List<MirrorReport.Failed> failed() {
        List<MirrorReport.Failed> out = new ArrayList<>(failed);
        out.sort(Comparator.comparing(MirrorReport.Failed::key));
        return out;
    }
}
