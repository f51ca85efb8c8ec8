package dev.lifeboat.verify;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.crypto.DecryptionConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of a full read of the dump, from one {@link ObjectScan}: decrypt, signature,
 * decompress, archive, tables. A layer after a failed one is reported as skipped, naming it.
 */
final class StreamChecks {
    private StreamChecks() {}

    static List<Check> of(Manifest m, String dumpKey, ObjectScan.Result scan, DecryptionConfig decryption) {
        List<Check> out = new ArrayList<>();
        if (scan == null) {
            for (String layer : List.of(ObjectScan.DECRYPT, ObjectScan.SIGNATURE, ObjectScan.DECOMPRESS, ObjectScan.ARCHIVE,
                    ContentChecks.TABLES)) {
                out.add(Check.skipped(layer, "no dump object"));
            }
            return out;
        }
        boolean encrypted = dumpKey.endsWith(".gpg");
        String blocked = null;
        var f = scan.failures();
        if (f.containsKey(ObjectScan.DECRYPT)) {
            out.add(Check.failed(ObjectScan.DECRYPT, f.get(ObjectScan.DECRYPT)));
            blocked = ObjectScan.DECRYPT;
        } else if (f.containsKey(ObjectScan.SIGNATURE) && scan.plainBytes() < 0) {
            out.add(Check.skipped(ObjectScan.DECRYPT, "not read: the signature check refused the message"));
        } else {
            out.add(Check.ok(ObjectScan.DECRYPT, encrypted ? "OpenPGP integrity check (MDC) passed" : "not encrypted"));
        }
        out.add(signature(encrypted, scan, decryption, blocked));
        if (f.containsKey(ObjectScan.SIGNATURE)) blocked = ObjectScan.SIGNATURE;
        if (f.containsKey(ObjectScan.DECOMPRESS)) {
            out.add(Check.failed(ObjectScan.DECOMPRESS, f.get(ObjectScan.DECOMPRESS)));
            if (blocked == null) blocked = ObjectScan.DECOMPRESS;
        } else if (blocked != null) {
            out.add(Check.skipped(ObjectScan.DECOMPRESS, "not read to its end: " + blocked + " failed"));
        } else if (f.containsKey(ObjectScan.ARCHIVE)) {
            out.add(Check.skipped(ObjectScan.DECOMPRESS, "not read to its end: archive failed"));
        } else if (scan.plainBytes() != m.dumpBytes()) {
            out.add(Check.failed(ObjectScan.DECOMPRESS, "decompressed to " + scan.plainBytes() + " bytes, manifest says "
                    + m.dumpBytes()));
            blocked = ObjectScan.DECOMPRESS;
        } else {
            out.add(Check.ok(ObjectScan.DECOMPRESS, scan.plainBytes() + " bytes (" + Units.bytes(scan.plainBytes())
                    + "), as in the manifest"));
        }
        if (f.containsKey(ObjectScan.ARCHIVE)) {
            out.add(Check.failed(ObjectScan.ARCHIVE, f.get(ObjectScan.ARCHIVE)));
            if (blocked == null) blocked = ObjectScan.ARCHIVE;
        } else if (blocked != null || scan.contents() == null) {
            out.add(Check.skipped(ObjectScan.ARCHIVE, "not read: " + (blocked == null ? "decoding failed" : blocked + " failed")));
            if (blocked == null) blocked = "decoding";
        } else {
            Check archive = ContentChecks.archive(scan.contents());
            out.add(archive);
            if (archive.failed()) blocked = ObjectScan.ARCHIVE;
        }
        out.add(blocked == null ? ContentChecks.tables(m, scan.contents())
                : Check.skipped(ContentChecks.TABLES, "not compared: " + blocked + " failed"));
        return out;
    }

    private static Check signature(boolean encrypted, ObjectScan.Result scan, DecryptionConfig decryption, String blocked) {
        String failure = scan.failures().get(ObjectScan.SIGNATURE);
        if (decryption == null || !decryption.requiresSignature()) {
            return Check.skipped(ObjectScan.SIGNATURE, "BACKUP_GPG_TRUSTED_SIGNERS is not set");
        }
        if (failure != null) return Check.failed(ObjectScan.SIGNATURE, failure);
        if (!encrypted) {
            return Check.failed(ObjectScan.SIGNATURE, "the dump is not encrypted, so not signed, but BACKUP_GPG_TRUSTED_SIGNERS is set");
        }
        if (blocked != null) return Check.skipped(ObjectScan.SIGNATURE, "not checked: " + blocked + " failed");
        if (scan.signer() == null) return Check.skipped(ObjectScan.SIGNATURE, "not checked: the message was not read to its end");
        return Check.ok(ObjectScan.SIGNATURE, "signed by trusted key " + scan.signer());
    }
}
