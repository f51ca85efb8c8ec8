package dev.lifeboat.archive;

import java.io.IOException;

/** A pg_dump archive that is not what it must be: damaged, truncated, or not an archive. */
public class ArchiveException extends IOException {
    public ArchiveException(String message) {
        super(message);
    }
}
