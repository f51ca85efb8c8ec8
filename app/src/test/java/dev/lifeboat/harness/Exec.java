package dev.lifeboat.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a child process to completion with its output in temporary files (so nothing can block on a pipe). */
final class Exec {
    private Exec() {}

    /** Returns stdout; throws with the exit code and stderr (and stdout) when the exit code is not 0. */
    static String run(ProcessBuilder pb, String name) throws IOException {
        Path out = Scratch.file("lifeboat-exec-", ".out");
        Path err = Scratch.file("lifeboat-exec-", ".err");
        try {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(name + " interrupted", e);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (code != 0) {
                throw new IOException(name + " exited with " + code + ": " + Files.readString(err, StandardCharsets.UTF_8).strip()
                        + (stdout.isBlank() ? "" : "\n" + stdout.strip()));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
