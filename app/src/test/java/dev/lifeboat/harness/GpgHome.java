package dev.lifeboat.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A throwaway GNUPGHOME (mode 700) driving the real {@code gpg}: tests generate keys, export
 * them to armored files, and encrypt or decrypt with the same program an operator would use.
 * Passphrases reach gpg through files ({@code --passphrase-file}), never argv.
 */
public final class GpgHome implements AutoCloseable {
    /** A generated key: fingerprint of the primary key, its long key id, the user id. */
    public record Key(String fingerprint, String keyId, String uid) {
        /** The long key id as lifeboat prints it: 0x + 16 hex digits. */
        public String shownKeyId() {
            return "0x" + keyId;
        }
    }

    /** The outcome of one gpg run. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final Path home;
    private final Path scratch;
    private int files;

    public GpgHome() throws IOException {
        this.home = Files.createTempDirectory("lifeboat-gnupg-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        this.scratch = Files.createTempDirectory("lifeboat-gpgfiles-");
    }

    public Path home() {
        return home;
    }

    /** The environment that makes gpg (and lifeboat's default keyring) use this home. */
    public Map<String, String> env() {
        return Map.of("GNUPGHOME", home.toString());
    }

    /** An RSA 3072 primary key (sign, certify) with an RSA 3072 encryption subkey. */
    public Key generateRsa(String uid, String passphrase) {
        return generate(uid, passphrase, "rsa3072", "rsa3072");
    }

    /** An ed25519 primary key (sign, certify) with a cv25519 encryption subkey. */
    public Key generateCv25519(String uid, String passphrase) {
        return generate(uid, passphrase, "ed25519", "cv25519");
    }

    /** A signing-only ed25519 key (no encryption subkey). */
    public Key generateSigningOnly(String uid, String passphrase) {
        return generate(uid, passphrase, "ed25519", null);
    }

    private Key generate(String uid, String passphrase, String primary, String subkey) {
        Path pass = passFile(passphrase);
        check(gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", pass.toString(),
                "--quick-gen-key", uid, primary, "sign,cert", "never"));
        Key key = find(uid);
        if (subkey != null) {
            check(gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", pass.toString(),
                    "--quick-add-key", key.fingerprint(), subkey, "encr", "never"));
        }
        return key;
    }

    /** An RSA key with an encryption subkey that expired in 2020 (generated with a faked clock). */
    public Key generateExpired(String uid) {
        Path pass = passFile("");
        check(gpg(null, "--faked-system-time", "20200101T000000", "--pinentry-mode", "loopback", "--passphrase-file",
                pass.toString(), "--quick-gen-key", uid, "ed25519", "sign,cert", "never"));
        Key key = find(uid);
        check(gpg(null, "--faked-system-time", "20200101T000000", "--pinentry-mode", "loopback", "--passphrase-file",
                pass.toString(), "--quick-add-key", key.fingerprint(), "cv25519", "encr", "1d"));
        return key;
    }

    /** Revokes the key by importing the revocation certificate gpg made when it generated it. */
    public void revoke(String fpr) {
        Path rev = home.resolve("openpgp-revocs.d").resolve(fpr + ".rev");
        try {
            String cert = Files.readString(rev).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----",
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----");
            check(gpg(cert.getBytes(StandardCharsets.US_ASCII), "--import"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key whose user id is exactly {@code uid}. */
    public Key find(String uid) {
        Result r = check(gpg(null, "--with-colons", "--fixed-list-mode", "--list-keys", "=" + uid));
        String fpr = null;
        for (String line : r.out().split("\n")) {
            String[] f = line.split(":", -1);
            if (f[0].equals("fpr") && fpr == null) fpr = f[9];
        }
        if (fpr == null) throw new IllegalStateException("no key " + uid + ":\n" + r.out());
        return new Key(fpr, fpr.substring(fpr.length() - 16), uid);
    }

    /** The fingerprints of the encryption subkeys of a key. */
    public List<String> subkeyFingerprints(String fpr) {
        Result r = check(gpg(null, "--with-colons", "--fixed-list-mode", "--list-keys", fpr));
        List<String> out = new ArrayList<>();
        boolean inSub = false;
        for (String line : r.out().split("\n")) {
            String[] f = line.split(":", -1);
            if (f[0].equals("sub")) inSub = true;
            else if (f[0].equals("pub")) inSub = false;
            else if (f[0].equals("fpr") && inSub) out.add(f[9]);
        }
        return out;
    }

    public Path exportPublic(String fpr) {
        Path out = newFile("pub", ".asc");
        check(gpg(null, "--armor", "--output", out.toString(), "--export", fpr));
        return out;
    }

    public Path exportPublicBinary(String fpr) {
        Path out = newFile("pub", ".gpg");
        check(gpg(null, "--output", out.toString(), "--export", fpr));
        return out;
    }

    /** The armored secret key, protected by the passphrase it was generated with. */
    public Path exportSecret(String fpr, String passphrase) {
        Path out = newFile("sec", ".asc");
        check(gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", passFile(passphrase).toString(),
                "--armor", "--output", out.toString(), "--export-secret-keys", fpr));
        return out;
    }

    /** gpg --decrypt, with the secret keys of this home; the result keeps exit code and messages. */
    public Result decrypt(Path in, String passphrase) {
        return gpg(null, "--pinentry-mode", "loopback", "--passphrase-file", passFile(passphrase).toString(),
                "--decrypt", in.toString());
    }

    /** gpg --decrypt reading the message from a pipe (stdin). */
    public Result decryptPipe(byte[] message, String passphrase) {
        return gpg(message, "--pinentry-mode", "loopback", "--passphrase-file", passFile(passphrase).toString(),
                "--decrypt");
    }

    /** gpg --encrypt to the recipients (by fingerprint), optionally signing with {@code signer}. */
    public byte[] encrypt(byte[] plain, String signer, String signerPassphrase, String... recipients) {
        List<String> args = new ArrayList<>(List.of("--trust-model", "always", "--encrypt"));
        for (String r : recipients) {
            args.add("--recipient");
            args.add(r);
        }
        if (signer != null) {
            args.addAll(List.of("--sign", "--local-user", signer, "--pinentry-mode", "loopback",
                    "--passphrase-file", passFile(signerPassphrase).toString()));
        }
        return check(gpg(plain, args.toArray(String[]::new))).stdout();
    }

    /** gpg --symmetric (AES-256) with the passphrase. */
    public byte[] encryptSymmetric(byte[] plain, String passphrase) {
        return check(gpg(plain, "--pinentry-mode", "loopback", "--passphrase-file", passFile(passphrase).toString(),
                "--cipher-algo", "AES256", "--symmetric")).stdout();
    }

    /** Signs (without encrypting) into an OpenPGP message, for tests of messages lifeboat must refuse. */
    public byte[] sign(byte[] plain, String signer, String passphrase) {
        return check(gpg(plain, "--pinentry-mode", "loopback", "--passphrase-file", passFile(passphrase).toString(),
                "--local-user", signer, "--sign")).stdout();
    }

    /** Runs gpg with this home; {@code stdin} may be null. */
    public Result gpg(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--yes"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GNUPGHOME", home.toString());
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException e) {
                // gpg may stop reading early (e.g. on a bad packet); its exit code tells the rest
            }
            int code = p.waitFor();
            return new Result(code, out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A file holding the passphrase (empty for a key without one). */
    public Path passFile(String passphrase) {
        Path f = newFile("pass", ".txt");
        try {
            Files.writeString(f, passphrase == null ? "" : passphrase);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** A new, not yet existing path in this home's scratch directory. */
    public synchronized Path newFile(String prefix, String suffix) {
        return scratch.resolve(prefix + "-" + (++files) + suffix);
    }

    private static Result check(Result r) {
        if (r.exitCode() != 0) throw new IllegalStateException("gpg failed (" + r.exitCode() + "): " + r.stderr());
        return r;
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("GNUPGHOME", home.toString());
            pb.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(home);
            delete(scratch);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
