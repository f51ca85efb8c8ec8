package dev.lifeboat.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: a child JVM on the test class path, running a main of src/test. */
final class ChildJvm implements AutoCloseable {
    final Process process;
    final BufferedReader stdout;

    ChildJvm(Class<?> main, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads stdout until a line starting with {@code prefix}; fails if the child ends first. */
    String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = stdout.readLine()) != null) {
            if (line.startsWith(prefix)) return line;
        }
        throw new AssertionError("child ended without printing '" + prefix + "'");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
