package dev.lifeboat.restore;

import dev.lifeboat.archive.TocEntry;

import java.util.List;

/**
 * Privileges go in after the data, as one pg_restore does them (its last pass but one: GRANT,
 * REVOKE, default privileges). A restore that runs the pre-data section by itself before loading
 * the data would otherwise grant and revoke first, and a table whose owner revoked its own
 * INSERT could then not be loaded by a restore that is not a superuser's. So the pre-data run is
 * given every entry but these ({@link #withoutPrivileges}), and a run of its own restores them
 * ({@link #privileges}) once the data is in.
 */
final class AclPass {
    private AclPass() {}

    /** An entry that pg_restore restores in its privileges pass. */
    static boolean isPrivileges(TocEntry e) {
        return "ACL".equals(e.desc()) || "DEFAULT ACL".equals(e.desc()) || "ACL LANGUAGE".equals(e.desc());
    }

    /** A use-list of every entry but the privileges, in archive order (the section flag still picks its own). */
    static String withoutPrivileges(List<TocEntry> toc) {
        StringBuilder sb = new StringBuilder();
        for (TocEntry e : toc) if (!isPrivileges(e)) sb.append(e.dumpId()).append(";\n");
        return sb.toString();
    }

    /** A use-list of the privileges only, in archive order; empty when there are none. */
    static String privileges(List<TocEntry> toc) {
        StringBuilder sb = new StringBuilder();
        for (TocEntry e : toc) if (isPrivileges(e)) sb.append(e.dumpId()).append(";\n");
        return sb.toString();
    }
}
