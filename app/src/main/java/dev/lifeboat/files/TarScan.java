package dev.lifeboat.files;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.crypto.IntegrityException;
import dev.lifeboat.crypto.UntrustedSignatureException;
import dev.lifeboat.stage.DecodePipeline;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.stage.Sha256InputProbe;
import dev.lifeboat.stage.Sha256Probe;
import dev.lifeboat.store.ObjectStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One streaming pass over a files archive for {@link FilesVerifier}: the stored bytes are always
 * hashed to their end; at full level the tar is decoded and every entry matched with the entry
 * list and every file hashed. The first failure is kept with its layer ({@code decrypt},
 * {@code signature}, {@code archive}, {@code files}); files mismatches are all counted.
 */
final class TarScan {
    record Result(long storedBytes, String sha256, long plainBytes, long entries, String failedLayer, String failure) {}

    private TarScan() {}

    static Result checksum(ObjectStore store, String key) throws IOException {
        try (InputStream raw = store.open(key)) {
            Sha256InputProbe probe = new Sha256InputProbe(raw);
            probe.drain();
            return new Result(probe.count(), probe.hex(), -1, 0, null, null);
        }
    }

    static Result full(ObjectStore store, String key, Decryptor decryptor, EntryPlan plan) throws IOException {
        try (InputStream raw = store.open(key)) {
            Sha256InputProbe probe = new Sha256InputProbe(raw);
            String layer = null;
            String failure = null;
            long entries = 0;
            long plain = -1;
            List<String> mismatches = new ArrayList<>();
            DecodePipeline pipe = null;
            try {
                pipe = new DecodePipeline(probe, key, decryptor);
                TarArchiveInputStream tar = new TarArchiveInputStream(pipe.output(), "UTF-8");
                byte[] buf = new byte[1 << 16];
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    entries++;
                    String type = e.isDirectory() ? FileEntry.DIR : e.isSymbolicLink() ? FileEntry.SYMLINK : e.isFile() ? FileEntry.FILE : null;
                    if (type == null || e.isLink()) throw EntryNames.refused(e.getName(), "not a file, directory or symlink");
                    FileEntry expected = plan.expect(e.getName(), type, e.getSize(), e.getLinkName());
                    if (expected.isFile()) {
                        MessageDigest d = Sha256Probe.newDigest();
                        long n = 0;
                        int r;
                        while ((r = tar.read(buf)) > 0) {
                            d.update(buf, 0, r);
                            n += r;
                        }
                        String sha = HexFormat.of().formatHex(d.digest());
                        if (n != expected.size() || !sha.equals(expected.sha256())) {
                            mismatches.add(expected.path() + ": " + n + " bytes, sha256 " + sha + "; manifest says "
                                    + expected.size() + " bytes, sha256 " + expected.sha256());
                        }
                    }
                }
                List<String> missing = plan.missing();
                if (!missing.isEmpty()) {
                    throw LifeboatException.checkFailed("the archive lacks " + missing.size() + " listed entries, e.g. " + missing.get(0));
                }
                for (int b; (b = pipe.output().read()) >= 0; ) {
                    if (b != 0) throw LifeboatException.checkFailed("data continues after the end of the tar archive");
                }
                pipe.finish();
                plain = pipe.plainBytes();
                if (!mismatches.isEmpty()) {
                    layer = FilesVerifier.FILES;
                    failure = mismatches.get(0) + (mismatches.size() > 1 ? " (and " + (mismatches.size() - 1) + " more)" : "");
                }
            } catch (LifeboatException e) {
                if (e.exitCode() == dev.lifeboat.ExitCode.USAGE) throw e;
                layer = FilesVerifier.ARCHIVE;
                failure = e.getMessage();
            } catch (IOException | RuntimeException e) {
                layer = blame(e);
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            }
            probe.drain();
            if (pipe != null) {
                try {
                    pipe.close();
                } catch (IOException | RuntimeException ignored) {
                    // the verdict is made
                }
            }
            return new Result(probe.count(), probe.hex(), plain, entries, layer, failure);
        }
    }

    private static String blame(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UntrustedSignatureException) return FilesVerifier.SIGNATURE;
            if (c instanceof IntegrityException) return FilesVerifier.DECRYPT;
        }
        return FilesVerifier.ARCHIVE;
    }
}
