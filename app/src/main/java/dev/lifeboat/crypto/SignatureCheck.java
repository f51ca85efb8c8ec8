package dev.lifeboat.crypto;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signature policy of {@code BACKUP_GPG_TRUSTED_SIGNERS}: picks the signature made by a
 * trusted key before the data is read (refusing an unsigned message, or one signed only by
 * others, at once), hashes the literal data, and checks the signature at its end.
 */
final class SignatureCheck {
    /** A trusted (primary or sub) key and the primary fingerprint it belongs to. */
    record Trusted(PGPPublicKey key, String primaryFingerprint) {
    }

    private final PGPOnePassSignature onePass;
    private final PGPSignature leading;
    private final Trusted signer;

    private SignatureCheck(PGPOnePassSignature onePass, PGPSignature leading, Trusted signer) {
        this.onePass = onePass;
        this.leading = leading;
        this.signer = signer;
    }

    /**
     * Starts the check over the signatures found before the literal data ({@code onePass} for
     * sign-then-encrypt messages, {@code leading} for old-style ones; either may be null).
     */
    static SignatureCheck start(PGPOnePassSignatureList onePass, PGPSignatureList leading, Map<Long, Trusted> trusted)
            throws UntrustedSignatureException, IntegrityException {
        Set<Long> seen = new LinkedHashSet<>();
        try {
            if (onePass != null) {
                for (PGPOnePassSignature ops : onePass) {
                    seen.add(ops.getKeyID());
                    Trusted t = trusted.get(ops.getKeyID());
                    if (t != null) {
                        ops.init(new BcPGPContentVerifierBuilderProvider(), t.key());
                        return new SignatureCheck(ops, null, t);
                    }
                }
            }
            if (leading != null) {
                for (PGPSignature sig : leading) {
                    seen.add(sig.getKeyID());
                    Trusted t = trusted.get(sig.getKeyID());
                    if (t != null) {
                        sig.init(new BcPGPContentVerifierBuilderProvider(), t.key());
                        return new SignatureCheck(null, sig, t);
                    }
                }
            }
        } catch (PGPException e) {
            throw new IntegrityException("cannot check the signature: " + e.getMessage(), e);
        }
        if (seen.isEmpty()) {
            throw new UntrustedSignatureException("the backup is not signed, but BACKUP_GPG_TRUSTED_SIGNERS is set");
        }
        throw new UntrustedSignatureException("the backup is signed by key(s) " + KeyIds.keyIds(new ArrayList<>(seen))
                + ", none of which is in BACKUP_GPG_TRUSTED_SIGNERS");
    }

    void update(byte[] b, int off, int len) {
        if (onePass != null) onePass.update(b, off, len);
        else leading.update(b, off, len);
    }

    /** Checks the signature against the signatures that followed the data; returns the signer's primary fingerprint. */
    String verify(List<PGPSignatureList> trailing) throws IntegrityException {
        try {
            if (leading != null) {
                if (leading.verify()) return signer.primaryFingerprint();
                throw new IntegrityException("bad signature by " + KeyIds.keyId(leading.getKeyID()));
            }
            for (PGPSignatureList list : trailing) {
                for (PGPSignature sig : list) {
                    if (sig.getKeyID() == onePass.getKeyID()) {
                        if (onePass.verify(sig)) return signer.primaryFingerprint();
                        throw new IntegrityException("bad signature by " + KeyIds.keyId(sig.getKeyID()));
                    }
                }
            }
        } catch (PGPException e) {
            throw new IntegrityException("cannot check the signature: " + e.getMessage(), e);
        }
        throw new IntegrityException("the signature of " + KeyIds.keyId(onePass.getKeyID()) + " is missing");
    }
}
