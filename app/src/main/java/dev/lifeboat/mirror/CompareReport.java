package dev.lifeboat.mirror;

import java.util.List;

/**
 * The live bucket against its copy ({@code drill --files}). {@code missing}: live objects with no
 * copy; {@code differing}: a copy whose recorded size/ETag (index) or size (listing) is not the
 * live object's, or that the index does not know; {@code refused}: keys mirror refuses to copy.
 * Objects changed within the grace period are counted in {@code recent} and not judged.
 * {@code ok} when all three lists are empty.
 */
public record CompareReport(String bucket, String store, int liveObjects, int copies, int recent, int excluded,
                            String index, List<String> missing, List<Difference> differing, List<Difference> refused,
                            double durationSeconds, boolean ok) {

    /** One object and what is wrong with its copy. */
    public record Difference(String key, String reason) {}

    public String summary() {
        return String.format("mirror copy of %s: %d live objects, %d copies, %d missing, %d differing, %d refused, %d changed within the grace period%s",
                bucket, liveObjects, copies, missing.size(), differing.size(), refused.size(), recent, ok ? ": ok" : ": NOT ok");
    }
}
