package dev.lifeboat.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PG_BIN_DIR of wrapper scripts around the real client programs. Each call records its
 * argv and environment (so a test can prove what a child was given), and pg_dump can be made
 * to die mid-stream: its output is cut after N bytes (after the table of contents) and it is
 * killed with SIGKILL.
 */
public final class PgBinSpy {
    private static final List<String> PROGRAMS = List.of("pg_dump", "pg_dumpall", "pg_restore", "psql");
    private final Path dir;
    private final Path records;

    private PgBinSpy(Path dir, Path records) {
        this.dir = dir;
        this.records = records;
    }

    /** Wrappers that record and pass through. */
    public static PgBinSpy recording(Path realBin) throws IOException {
        return create(realBin, -1);
    }

    /** Wrappers whose pg_dump writes only {@code bytes} bytes and is then killed with SIGKILL. */
    public static PgBinSpy killingPgDumpAfter(Path realBin, long bytes) throws IOException {
        return create(realBin, bytes);
    }

    private static PgBinSpy create(Path realBin, long cutAfter) throws IOException {
        Path dir = Files.createTempDirectory("lifeboat-pgbin-");
        Path records = Files.createDirectories(dir.resolve("records"));
        for (String p : PROGRAMS) {
            String real = realBin.resolve(p).toString();
            StringBuilder sh = new StringBuilder("#!/bin/bash\n");
            sh.append("if [ \"$1\" = \"--version\" ]; then exec ").append(real).append(" --version; fi\n");
            sh.append("printf '%s\\n' \"$@\" > ").append(records).append("/").append(p).append(".argv.$$\n");
            sh.append("env > ").append(records).append("/").append(p).append(".env.$$\n");
            if (p.equals("pg_dump") && cutAfter >= 0) {
                sh.append(real).append(" \"$@\" | head -c ").append(cutAfter).append("\n");
                sh.append("kill -9 $$\n");
            } else {
                sh.append("exec ").append(real).append(" \"$@\"\n");
            }
            Path script = dir.resolve(p);
            Files.writeString(script, sh.toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new PgBinSpy(dir, records);
    }

    public Path dir() {
        return dir;
    }

    /** Everything every child was given: argv and environment, one string per call. */
    public List<String> calls(String program, String what) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(records)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(program + "." + what + ".")).toList()) {
                out.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
