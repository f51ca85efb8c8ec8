package dev.lifeboat.restore;

import dev.lifeboat.backup.Manifest;
import dev.lifeboat.crypto.UntrustedSignatureException;
import dev.lifeboat.stage.DecodePipeline;
import dev.lifeboat.stage.Decryptor;
import dev.lifeboat.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * Before restore or drill create or change any database: every object they will read opens
 * with a configured key (else exit 2 naming the key ids it needs) and, when
 * {@code BACKUP_GPG_TRUSTED_SIGNERS} is set, is signed by a trusted signer (else exit 1).
 * Only the OpenPGP packets before the data are read; the download is then abandoned.
 */
public final class TrustCheck {
    private TrustCheck() {}

    public static void require(ObjectStore store, Decryptor decryptor, Manifest.StoredObject... objects) throws IOException {
        for (Manifest.StoredObject object : objects) {
            if (object == null) continue;
            try (InputStream in = store.open(object.key());
                 DecodePipeline ignored = new DecodePipeline(in, object.key(), decryptor)) {
                // opening the pipeline read the key and signature packets: that is the check
            } catch (UntrustedSignatureException e) {
                throw DecodePipeline.refused(object.key(), e.getMessage());
            }
        }
    }
}
