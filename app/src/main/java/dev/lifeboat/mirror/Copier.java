package dev.lifeboat.mirror;

import dev.lifeboat.Version;
import dev.lifeboat.store.ContentMismatchException;
import dev.lifeboat.store.ObjectInfo;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.PendingObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The single-object operations of mirror, each streaming and safe to run on many threads: copy
 * a live object into the backup, move a copy under minio-replaced/, copy a copy back.
 */
final class Copier {
    static final String SOURCE_ETAG = "lifeboat-source-etag";
    static final String SOURCE_SIZE = "lifeboat-source-size";
    static final String REPLACED_AT = "lifeboat-replaced-at";
    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final LiveBucket live;
    private final MirrorIndex index;
    private final Clock clock;
    private static final Logger log = LoggerFactory.getLogger(Copier.class);
    private static final java.util.regex.Pattern MD5_HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]{32}");

    private final String version = Version.get();
    /** Whether live ETags are taken for content MD5s (until the store first refuses one). */
    private final AtomicBoolean etagsAreMd5 = new AtomicBoolean(true);

    Copier(ObjectStore store, LiveBucket live, MirrorIndex index, Clock clock) {
        this.store = store;
        this.live = live;
        this.index = index;
        this.clock = clock;
    }

    /**
     * Streams the live object into a new copy (never over an existing one), checks that the whole
     * object arrived, records it in the index, and returns its size. The live ETag of an object
     * uploaded whole is the MD5 of its content, so it goes along as the copy's Content-MD5 and the
     * store checks the bytes end to end, with no hashing here. A refusal is tried once more (the
     * bytes may have been damaged on the way); a second one means the bucket's ETags are not MD5s
     * of the content (encrypted objects), and this object and every later one go with an MD5 of
     * the bytes as read, which checks the upload only.
     */
    long copyIn(LiveObject o) throws IOException {
        if (!etagsAreMd5.get()) return copyIn(o, false);
        try {
            return copyIn(o, true);
        } catch (ContentMismatchException first) {
            try {
                return copyIn(o, true);
            } catch (ContentMismatchException again) {
                if (etagsAreMd5.compareAndSet(true, false)) {
                    log.info("{}: the copy of {} was refused twice as not matching its live ETag; the live ETags are not "
                            + "content MD5s here, so copies are checked against the bytes as read from now on", live.describe(), o.key());
                }
                return copyIn(o, false);
            }
        }
    }

    /** One copy; {@link ContentMismatchException} only when the live ETag was sent as the MD5. */
    private long copyIn(LiveObject o, boolean etagAsMd5) throws IOException {
        try (LiveDownload d = live.open(o.key())) {
            long size = d.size() >= 0 ? d.size() : o.size();
            String etag = Objects.requireNonNullElse(d.etag() != null ? d.etag() : o.etag(), "");
            String md5 = etagAsMd5 && MD5_HEX.matcher(etag).matches() ? etag.toLowerCase(java.util.Locale.ROOT) : null;
            String copyKey = MirrorKeys.copyKey(live.name(), o.key());
            // the plan saw no copy under this key (or moveAway just moved it): no HEAD first where the store need not
            try (PendingObject p = store.createAbsent(copyKey, metadata(size, etag), size, md5)) {
                long n = d.stream().transferTo(p.stream());
                if (n != size) throw new IOException("read " + n + " bytes of " + size + " (the source changed or the connection broke)");
                p.commit();
            } catch (FileAlreadyExistsException e) {
                // A write retried after its first attempt went through, or another run: fine if it is this very version.
                if (!isCopyOf(copyKey, size, etag)) throw e;
            } catch (ContentMismatchException e) {
                // with an MD5 of the bytes as read, the upload was damaged: this object fails, the next run copies it
                if (md5 == null) throw new IOException(e.getMessage(), e);
                throw e;
            }
            index.put(o.key(), new MirrorIndex.Entry(size, etag, clock.instant().toString()));
            return size;
        }
    }

    /**
     * Moves the copy of {@code key} to {@code minio-replaced/<bucket>/<today>/<key>} (a suffix
     * {@code ~HHMMSS[-n]} when that is taken: an earlier replaced copy is never overwritten), then
     * deletes it and its index entry. Returns where it went.
     */
    String moveAway(String key) throws IOException {
        String bucket = live.name();
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        String to = MirrorKeys.replacedKey(bucket, day, key, null);
        for (int n = 0; store.stat(to).isPresent(); n++) {
            to = MirrorKeys.replacedKey(bucket, day, key, "~" + HHMMSS.format(now) + (n == 0 ? "" : "-" + n));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ObjectStore.VERSION_METADATA, version);
        meta.put(REPLACED_AT, now.toString());
        MirrorIndex.Entry old = index.get(key);
        if (old != null) {
            meta.put(SOURCE_ETAG, Objects.requireNonNullElse(old.etag(), ""));
            meta.put(SOURCE_SIZE, Long.toString(old.size()));
        }
        String from = MirrorKeys.copyKey(bucket, key);
        store.copy(from, to, meta);
        store.delete(from);
        index.remove(key);
        return to;
    }

    private boolean isCopyOf(String copyKey, long size, String etag) throws IOException {
        Optional<ObjectInfo> info = store.stat(copyKey);
        if (info.isEmpty() || info.get().size() != size) return false;
        Map<String, String> m = info.get().metadata();
        return etag.equals(m.get(SOURCE_ETAG)) && Long.toString(size).equals(m.get(SOURCE_SIZE));
    }

    /** The source size and ETag a copy's own metadata records, when it carries them. */
    Optional<MirrorIndex.Entry> fromMetadata(String key) throws IOException {
        Optional<ObjectInfo> info = store.stat(MirrorKeys.copyKey(live.name(), key));
        if (info.isEmpty()) return Optional.empty();
        Map<String, String> m = info.get().metadata();
        String etag = m.get(SOURCE_ETAG);
        String size = m.get(SOURCE_SIZE);
        if (etag == null || size == null) return Optional.empty();
        try {
            Instant when = info.get().lastModified();
            return Optional.of(new MirrorIndex.Entry(Long.parseLong(size), etag, when == null ? null : when.toString()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the copy of {@code key} was written by lifeboat (index entry, else its metadata). */
    boolean ours(String key) throws IOException {
        if (index.get(key) != null) return true;
        return store.stat(MirrorKeys.copyKey(live.name(), key)).map(ObjectInfo::writtenByLifeboat).orElse(false);
    }

    /** Streams the copy of {@code key} ({@code size} bytes) into the live bucket; the index then records the new ETag. */
    long copyBack(String key, long size) throws IOException {
        MirrorIndex.Entry known = index.get(key);
        try (InputStream in = store.open(MirrorKeys.copyKey(live.name(), key))) {
            String etag = live.put(key, in, size);
            if (etag != null) index.put(key, new MirrorIndex.Entry(size, etag, known != null ? known.copied() : clock.instant().toString()));
            return size;
        }
    }

    private Map<String, String> metadata(long size, String etag) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ObjectStore.VERSION_METADATA, version);
        meta.put(SOURCE_ETAG, etag);
        meta.put(SOURCE_SIZE, Long.toString(size));
        return meta;
    }
}
