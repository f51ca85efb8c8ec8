package dev.lifeboat.mirror;

import dev.lifeboat.store.ObjectInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MirrorPlanTest {
    private static final String P = "minio/live/";
    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void decidesFromListingsAndIndexOnly() throws Exception {
        MirrorIndex index = MirrorIndex.decode(MirrorIndex.empty().encode("live", T), "live");
        index.put("same", new MirrorIndex.Entry(3, "e1", T.toString()));
        index.put("edited", new MirrorIndex.Entry(3, "old", T.toString()));
        index.put("grown", new MirrorIndex.Entry(3, "e3", T.toString()));
        index.put("truncated-copy", new MirrorIndex.Entry(5, "e5", T.toString()));
        index.put("gone", new MirrorIndex.Entry(1, "g", T.toString()));
        List<LiveObject> live = List.of(
                obj("same", 3, "e1"), obj("edited", 3, "new"), obj("grown", 4, "e4"), obj("truncated-copy", 5, "e5"),
                obj("new", 1, "n"), obj("unindexed", 2, "u"), obj("tmp/x", 1, "t"), obj("../evil", 1, "x"));
        List<ObjectInfo> copies = List.of(copy("same", 3), copy("edited", 3), copy("grown", 3), copy("truncated-copy", 2),
                copy("unindexed", 2), copy("gone", 1), copy("tmp/old", 1));
        MirrorPlan plan = MirrorPlan.of(live, copies, P, index, KeyGlob.of(List.of("tmp/**")));
        assertEquals(8, plan.listed());
        assertEquals(1, plan.excluded());
        assertEquals(1, plan.unchanged());
        assertEquals(List.of("new"), keys(plan.copies()));
        assertEquals(List.of("edited", "grown", "truncated-copy"), keys(plan.replaces()));
        assertEquals(List.of("unindexed"), keys(plan.rechecks()));
        assertEquals(1, plan.refused().size());
        assertEquals("../evil", plan.refused().get(0).key());
        assertEquals(List.of("gone"), plan.orphans(), "excluded copies are never orphans");
    }

    @Test
    void removalIsRefusedWhenTheRunIsNotTrustworthy() {
        MirrorPlan plan = new MirrorPlan(1, 0, 1, List.of(), List.of(), List.of(), List.of(), List.of("a", "b", "c"));
        assertEquals(null, Removal.refusal(plan, false, false, 3));
        assertEquals(true, Removal.refusal(plan, true, false, 3).contains("empty"));
        assertEquals(true, Removal.refusal(plan, false, true, 3).contains("errors"));
        assertEquals(true, Removal.refusal(plan, false, false, 2).contains("--max-delete 2"));
    }

    private static LiveObject obj(String key, long size, String etag) {
        return new LiveObject(key, size, etag, T);
    }

    private static ObjectInfo copy(String key, long size) {
        return new ObjectInfo(P + key, size, T, null, Map.of());
    }

    private static List<String> keys(List<LiveObject> objects) {
        return objects.stream().map(LiveObject::key).sorted().toList();
    }
}
