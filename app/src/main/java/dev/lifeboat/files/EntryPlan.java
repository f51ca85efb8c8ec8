package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifest's entry list, checked as a whole before anything is extracted: every name
 * passes {@link EntryNames#check}, none appears twice, and none lies below a symlink or a file
 * of the list. While the archive is read, {@link #expect} matches each tar entry with its list
 * entry (name, type, link target, size); {@link #missing} names what the archive left out.
 */
final class EntryPlan {
    private final Map<String, FileEntry> byName = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();

    EntryPlan(List<FileEntry> entries) {
        for (FileEntry e : entries) {
            String name = EntryNames.check(e.path());
            if (!name.equals(e.path())) throw EntryNames.refused(e.path(), "the entry list names it unnormalized");
            if (e.type() == null || !(e.isFile() || e.isDir() || e.isSymlink())) {
                throw EntryNames.refused(name, "unknown type " + e.type());
            }
            if (byName.put(name, e) != null) throw EntryNames.refused(name, "the entry list names it twice");
        }
        for (String name : byName.keySet()) {
            for (String parent : EntryNames.parents(name)) {
                FileEntry p = byName.get(parent);
                if (p != null && !p.isDir()) throw EntryNames.refused(name, "its path goes through the " + p.type() + " " + parent);
            }
        }
    }

    /** The list entry for a tar entry; exit 3 when the archive does not match the list. */
    FileEntry expect(String rawName, String type, long size, String linkTarget) {
        String name = EntryNames.check(rawName);
        FileEntry e = byName.get(name);
        if (e == null) throw LifeboatException.failed("the archive holds " + name + ", which the manifest does not list");
        if (!seen.add(name)) throw EntryNames.refused(name, "the archive holds it twice");
        if (!e.type().equals(type)) {
            throw LifeboatException.failed(name + " is a " + type + " in the archive, a " + e.type() + " in the manifest");
        }
        if (e.isFile() && e.size() != size) {
            throw LifeboatException.failed(name + " has " + size + " bytes in the archive, the manifest says " + e.size());
        }
        if (e.isSymlink() && !e.linkTarget().equals(linkTarget)) {
            throw LifeboatException.failed(name + " links to " + linkTarget + " in the archive, the manifest says " + e.linkTarget());
        }
        return e;
    }

    List<String> missing() {
        return byName.keySet().stream().filter(n -> !seen.contains(n)).toList();
    }
}
