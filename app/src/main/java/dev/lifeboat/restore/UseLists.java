package dev.lifeboat.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The use-lists ({@code pg_restore --use-list}) of one restore: owner-only files in
 * {@code BACKUP_SPOOL_DIR}, each made when needed, on whichever thread. Once they have been
 * removed (the restore ended, perhaps failing while a loading thread still runs) no new one is
 * made: nothing is left behind.
 */
final class UseLists {
    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private boolean deleted;

    UseLists(Path dir) {
        this.dir = dir;
    }

    synchronized Path create(String content) throws IOException {
        if (deleted) throw new IOException("the restore stopped");
        Path list = Files.createTempFile(dir, "lifeboat-list-", ".txt",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        list.toFile().deleteOnExit();
        files.add(list);
        Files.writeString(list, content);
        return list;
    }

    synchronized void deleteAll() throws IOException {
        deleted = true;
        for (Path p : files) Files.deleteIfExists(p);
    }
}
