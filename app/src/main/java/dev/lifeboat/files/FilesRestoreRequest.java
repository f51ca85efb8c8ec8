package dev.lifeboat.files;

import dev.lifeboat.restore.Selection;
import dev.lifeboat.stage.Decryptor;

import java.nio.file.Path;

/** {@code restore --files}: which backup, into which directory, whether a non-empty one may be written into. */
public record FilesRestoreRequest(String source, Selection selection, Path to, boolean overwrite, Decryptor decryptor) {}
