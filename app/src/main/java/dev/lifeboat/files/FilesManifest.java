package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest;
import dev.lifeboat.json.Json;

import java.io.IOException;
import java.util.List;

/**
 * The manifest of a files backup ({@code lifeboat-files-manifest/1}, kind {@code files}):
 * written last, the commit marker, like the database {@link Manifest} but a record type of its
 * own. When the archive is encrypted the entry list (paths, sizes, SHA-256 of every file) is
 * NOT here: a plaintext hash of a short secret file can be guessed offline. It is then the
 * separate, encrypted {@link #entriesObject()} and the manifest keeps only the counts; without
 * encryption the entries sit in {@link #entries()}. It never holds a secret.
 */
public record FilesManifest(
        String format,
        String kind,
        String source,
        String tag,
        Manifest.StoredObject archive,
        Manifest.StoredObject entriesObject,
        String started,
        String finished,
        double durationSeconds,
        String host,
        List<String> roots,
        List<String> excludes,
        Manifest.Compressed compression,
        Manifest.Encrypted encryption,
        String signer,
        Counts counts,
        List<FileEntry> entries,
        List<Changed> changedWhileRead,
        List<String> skipped,
        String lifeboatVersion) {

    public static final String FORMAT = "lifeboat-files-manifest/1";
    public static final String KIND = "files";
    /** The suffix of the encrypted entry list, after the stem. */
    public static final String ENTRIES_SUFFIX = ".entries.json.gz.gpg";

    /** How many entries of each type, and the plaintext bytes of all files. */
    public record Counts(long entries, long files, long directories, long symlinks, long fileBytes) {}

    /** A file that changed or vanished while it was read, and what was seen. */
    public record Changed(String path, String what) {}

    public byte[] toJson() {
        return Json.bytes(this);
    }

    /** Parses and checks the format; a damaged or foreign manifest is a failed check naming the key. */
    public static FilesManifest parse(String key, byte[] json) {
        FilesManifest m;
        try {
            m = Json.read(json, FilesManifest.class);
        } catch (IOException e) {
            throw LifeboatException.checkFailed("manifest " + key + " is not valid JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (!FORMAT.equals(m.format())) {
            throw LifeboatException.checkFailed("manifest " + key + " has format " + m.format() + ", expected " + FORMAT);
        }
        if (m.archive() == null || m.archive().key() == null || m.archive().sha256() == null || m.counts() == null
                || (m.entries() == null && m.entriesObject() == null)) {
            throw LifeboatException.checkFailed("manifest " + key + " lacks the archive object or the entry list");
        }
        return m;
    }
}
