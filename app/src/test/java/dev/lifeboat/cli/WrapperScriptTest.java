package dev.lifeboat.cli;

import dev.lifeboat.Main;
import dev.lifeboat.harness.Scratch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/lifeboat, the wrapper every cron line runs, as cron runs it: {@code lifeboat
 * --env-file PATH COMMAND}. Its class-data sharing archive is per command, so it must find the
 * command behind --env-file's value, and it must keep only an archive recorded by a run that did
 * the command's work: one recorded by a run that stopped at a missing setting, or at --help,
 * holds a fraction of the classes, and every later run would start from it.
 *
 * <p>The jar here is a thin one (this build's classes, and its dependencies through the
 * manifest's Class-Path), made by the test: the suite runs before Maven packages the real one.
 */
class WrapperScriptTest {
    private static Path jar;
    private static Path script;

    @BeforeAll
    static void thinJar() throws Exception {
        script = findScript();
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) classPath.add(Path.of(entry).toAbsolutePath().toUri().getRawPath());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        jar = Scratch.dir("wrapper-jar-").resolve("lifeboat.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    @Test
    void onlyARunThatDidTheCommandsWorkLeavesTheClassArchiveLaterRunsStartFrom() throws Exception {
        Path cache = Scratch.dir("wrapper-cds-");
        Path store = Scratch.dir("wrapper-store-");
        Path good = envFile("BACKUP_DIR=" + store + "\nBACKUP_SOURCE_NAME=wrapper\n");
        Path bad = envFile("BACKUP_DIR=" + store + "\n"); // no database named: a configuration error

        Run first = wrapper(cache, Map.of(), "--env-file", bad.toString(), "list");
        assertEquals(2, first.exit, first.toString());
        assertTrue(first.err.contains("DATABASE_URL is not set"), first.toString());
        List<String> afterFirst = names(cache);
        assertEquals(1, afterFirst.size(), "one archive recorded, not yet in place: " + afterFirst);
        assertTrue(afterFirst.get(0).matches("lifeboat-[0-9]+-list\\.jsa\\.[0-9]+\\.tmp"),
                "named for the command behind --env-file's value, and temporary: " + afterFirst);

        Run help = wrapper(cache, Map.of(), "--env-file", good.toString(), "list", "--help");
        assertEquals(0, help.exit, help.toString());
        List<String> afterHelp = names(cache);
        assertEquals(1, afterHelp.size(), "the failed run's archive is discarded, help records another: " + afterHelp);
        assertTrue(!afterHelp.contains(afterFirst.get(0)) && afterHelp.get(0).endsWith(".tmp"), afterHelp.toString());

        Run work = wrapper(cache, Map.of(), "--env-file", good.toString(), "list");
        assertEquals(0, work.exit, work.toString());
        assertTrue(work.out.contains("no backups of wrapper"), work.toString());
        List<String> afterWork = names(cache);
        assertEquals(2, afterWork.size(), "help's archive discarded; this run's recorded, with its mark: " + afterWork);
        assertTrue(afterWork.stream().anyMatch(n -> n.endsWith(".tmp")) && afterWork.stream().anyMatch(n -> n.endsWith(".ok")),
                afterWork.toString());

        Path classLog = Scratch.file("wrapper-classes-", ".log");
        Run later = wrapper(cache, Map.of("LIFEBOAT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
                "--env-file", good.toString(), "list");
        assertEquals(0, later.exit, later.toString());
        List<String> afterLater = names(cache);
        assertEquals(1, afterLater.size(), afterLater.toString());
        assertTrue(afterLater.get(0).matches("lifeboat-[0-9]+-list\\.jsa"), "the good run's archive is in place: " + afterLater);
        String loaded = Files.readString(classLog, StandardCharsets.UTF_8);
        assertTrue(loaded.contains(ListCommand.class.getName() + " source: shared objects file"),
                "the command's classes come from the archive");
        assertTrue(loaded.contains(dev.lifeboat.store.LocalStore.class.getName() + " source: shared objects file"),
                "so do the classes its work loaded");
    }

    /**
     * On Java 17 to 20 the wrapper has the JDK read time-zone names from its older locale data
     * (Bouncy Castle's policy parses its cut-off dates with one, and the CLDR data names every
     * zone first); Java 21 warns about that setting and 23 dropped it, so it is not given there.
     * The java here is a stand-in that writes down the options it was started with.
     */
    @Test
    void olderLocaleDataOnlyOnTheJavaVersionsThatHaveIt() throws Exception {
        String flag = "-Djava.locale.providers=COMPAT,CLDR";
        assertTrue(javaOptions("17.0.15").contains(flag));
        assertTrue(javaOptions("20.0.2").contains(flag));
        assertTrue(javaOptions("21.0.5").stream().noneMatch(o -> o.contains("java.locale.providers")));
        assertTrue(javaOptions("25").stream().noneMatch(o -> o.contains("java.locale.providers")));
    }

    /** Under that setting Bouncy Castle's cut-off dates are the instants they name, as under CLDR. */
    @Test
    void bouncyCastlesPolicyDatesAreTheSameInstantsUnderTheOlderLocaleData() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.locale.providers=COMPAT,CLDR", "-Duser.timezone=UTC",
                "-cp", System.getProperty("java.class.path"), PolicyDates.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals(PolicyDates.expected(), out);
    }

    /** Prints Bouncy Castle's parse of its policy's cut-off dates, in epoch milliseconds. */
    public static final class PolicyDates {
        static final String[] DATES = {"2023-02-01 00:00:00 UTC", "1997-02-01 00:00:00 UTC"};

        public static void main(String[] args) {
            StringBuilder sb = new StringBuilder();
            for (String d : DATES) sb.append(org.bouncycastle.openpgp.api.util.UTCUtil.parse(d).getTime()).append(' ');
            System.out.println(sb.toString().trim());
            new org.bouncycastle.openpgp.api.OpenPGPDefaultPolicy(); // the policy itself builds
        }

        static String expected() {
            StringBuilder sb = new StringBuilder();
            for (String d : DATES) {
                sb.append(java.time.Instant.parse(d.replace(" UTC", "Z").replace(' ', 'T')).toEpochMilli()).append(' ');
            }
            return sb.toString().trim();
        }
    }

    /** The options the wrapper starts a java of version {@code version} with (a stand-in java). */
    private static List<String> javaOptions(String version) throws Exception {
        Path home = Scratch.dir("wrapper-java-");
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path options = home.resolve("options");
        Path java = home.resolve("bin").resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + options + "'\n");
        assertTrue(java.toFile().setExecutable(true));
        Run run = wrapper(Scratch.dir("wrapper-cds-"), Map.of("JAVA_HOME", home.toString(), "LIFEBOAT_CDS", "off"), "list");
        assertEquals(0, run.exit, run.toString());
        return Files.readAllLines(options);
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private static Run wrapper(Path cache, Map<String, String> extra, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("LIFEBOAT_JAR", jar.toString());
        pb.environment().put("LIFEBOAT_CDS_DIR", cache.toString());
        pb.environment().putAll(extra);
        Path dir = Scratch.dir("wrapper-run-");
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            // no standard input, as under cron
        }
        int exit = p.waitFor();
        return new Run(exit, Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private static Path envFile(String text) throws IOException {
        Path f = Scratch.file("wrapper-", ".env");
        Files.writeString(f, text);
        return f;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static Path findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/lifeboat");
            if (Files.isRegularFile(s)) return s;
        }
        throw new AssertionError("scripts/lifeboat not found above " + Path.of("").toAbsolutePath());
    }
}
