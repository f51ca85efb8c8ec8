package dev.lifeboat.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.Random;

/** The cases lifeboat's own CFB streams are held to: the JCE's {@code AES/CFB/NoPadding} (zero IV), every key size. */
final class AesCases {
    /** One case: a key, a plaintext, the JCE's ciphertext of it, and what to call the case in a failure. */
    @FunctionalInterface
    interface Case {
        void check(byte[] key, byte[] plain, byte[] cipher, String what) throws Exception;
    }

    private AesCases() {}

    static byte[] jceEncrypt(byte[] key, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance("AES/CFB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return c.doFinal(plain);
    }

    /** Runs {@code check} for every AES key size and every length, with random keys and plaintexts from {@code r}. */
    static void eachKeySizeAndLength(Random r, int[] lengths, Case check) throws Exception {
        for (int keyBytes : new int[] {16, 24, 32}) {
            byte[] key = new byte[keyBytes];
            r.nextBytes(key);
            for (int length : lengths) {
                byte[] plain = new byte[length];
                r.nextBytes(plain);
                check.check(key, plain, jceEncrypt(key, plain), keyBytes * 8 + "-bit key, " + length + " bytes");
            }
        }
    }
}
