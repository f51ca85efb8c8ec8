package dev.lifeboat.files;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Restores owners when running as root (as tar does): by the archive's user and group name
 * where this system knows it, else by number; never follows a symlink. As any other user it
 * does nothing, and the files belong to the user running the restore.
 */
final class Owners {
    private final boolean enabled;

    private Owners(boolean enabled) {
        this.enabled = enabled;
    }

    static Owners forCurrentUser() {
        return new Owners(isRoot());
    }

    static Owners none() {
        return new Owners(false);
    }

    boolean enabled() {
        return enabled;
    }

    void apply(Path p, TarArchiveEntry e) throws IOException {
        if (!enabled) return;
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = byName(lookup, e.getUserName(), false);
        if (user != null) view.setOwner(user);
        else Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
        GroupPrincipal group = (GroupPrincipal) byName(lookup, e.getGroupName(), true);
        if (group != null) view.setGroup(group);
        else Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    }

    private static UserPrincipal byName(UserPrincipalLookupService lookup, String name, boolean group) throws IOException {
        if (name == null || name.isEmpty()) return null;
        try {
            return group ? lookup.lookupPrincipalByGroupName(name) : lookup.lookupPrincipalByName(name);
        } catch (UserPrincipalNotFoundException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
