package dev.lifeboat.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Only integrity-protected AES packets take lifeboat's CFB decryption; other ciphers are the
 * JCE's as before (packets without an integrity check are refused before decryption, see
 * DecryptionConfig).
 */
class FastSessionKeyDecryptorTest {
    @Test
    void integrityProtectedAesTakesTheFastPathAndNothingElseDoes() throws Exception {
        for (int alg : new int[] {SymmetricKeyAlgorithmTags.AES_128, SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_256}) {
            byte[] key = new byte[alg == SymmetricKeyAlgorithmTags.AES_128 ? 16 : alg == SymmetricKeyAlgorithmTags.AES_192 ? 24 : 32];
            FastSessionKeyDecryptor f = new FastSessionKeyDecryptor(new PGPSessionKey(alg, key));
            InputStream fast = f.createDataDecryptor(true, alg, key).getInputStream(new ByteArrayInputStream(new byte[0]));
            assertTrue(fast instanceof CfbDecryptingStream, "SEIPD v1 with algorithm " + alg);
            assertEquals(16, f.createDataDecryptor(true, alg, key).getBlockSize());
        }
        byte[] tripleDes = new byte[24];
        FastSessionKeyDecryptor f = new FastSessionKeyDecryptor(new PGPSessionKey(SymmetricKeyAlgorithmTags.TRIPLE_DES, tripleDes));
        InputStream other = f.createDataDecryptor(true, SymmetricKeyAlgorithmTags.TRIPLE_DES, tripleDes)
                .getInputStream(new ByteArrayInputStream(new byte[0]));
        assertFalse(other instanceof CfbDecryptingStream, "not AES: the JCE's decryptor");
    }
}
