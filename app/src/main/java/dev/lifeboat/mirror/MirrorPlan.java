package dev.lifeboat.mirror;

import dev.lifeboat.store.ObjectInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a forward run has to do, decided from the two listings and the index alone (a pure
 * function): copy what has no copy, replace what the index says differs (size or source ETag,
 * or a copy whose size is not the source's), re-check by metadata what has a copy but no index
 * entry, refuse unsafe keys, and name the copies whose source is gone (removed only with --remove).
 *
 * @param copies     are copied in the backup as it is: the live object has no copy yet
 * @param replaces   have a copy that differs: it is moved under minio-replaced/ first
 * @param rechecks   have a copy but no index entry: their copy's metadata decides
 * @param orphans    backup keys (relative to minio/<bucket>/) whose live object is gone
 */
public record MirrorPlan(int listed, int excluded, int unchanged, List<LiveObject> copies, List<LiveObject> replaces,
                         List<LiveObject> rechecks, List<MirrorReport.Failed> refused, List<String> orphans) {

    public static MirrorPlan of(List<LiveObject> live, List<ObjectInfo> copies, String copyPrefix, MirrorIndex index, KeyGlob exclude) {
        Map<String, ObjectInfo> byKey = new HashMap<>();
        for (ObjectInfo c : copies) byKey.put(c.key().substring(copyPrefix.length()), c);
        int excluded = 0;
        int unchanged = 0;
        List<LiveObject> toCopy = new ArrayList<>();
        List<LiveObject> toReplace = new ArrayList<>();
        List<LiveObject> toRecheck = new ArrayList<>();
        List<MirrorReport.Failed> refused = new ArrayList<>();
        for (LiveObject o : live) {
            if (exclude.matches(o.key())) {
                excluded++;
                continue;
            }
            String problem = MirrorKeys.problem(o.key());
            if (problem != null) {
                refused.add(new MirrorReport.Failed(MirrorKeys.printable(o.key()), "refused: " + problem));
                continue;
            }
            ObjectInfo copy = byKey.remove(o.key());
            MirrorIndex.Entry entry = index.get(o.key());
            if (copy == null) toCopy.add(o);
            else if (entry == null) toRecheck.add(o);
            else if (entry.matches(o) && copy.size() == o.size()) unchanged++;
            else toReplace.add(o);
        }
        List<String> orphans = new ArrayList<>();
        for (String key : byKey.keySet()) {
            if (!exclude.matches(key)) orphans.add(key);
        }
        orphans.sort(null);
        return new MirrorPlan(live.size(), excluded, unchanged, toCopy, toReplace, toRecheck, refused, orphans);
    }
}
