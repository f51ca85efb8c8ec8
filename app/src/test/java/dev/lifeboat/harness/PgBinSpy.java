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
 * killed with SIGKILL. A throttled program is the real one (same pid as recorded) whose stdout
 * (pg_dump) or stdin (pg_restore) passes through a rate limiter, so a test has time to stop a
 * run while that program is still working.
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

    /**
     * Wrappers whose {@code program} is exec'd (its pid is the recorded one) with its stdout, or for
     * pg_restore/psql its stdin, limited to about {@code bytesPerSecond}.
     */
    public static PgBinSpy throttled(Path realBin, String program, long bytesPerSecond) throws IOException {
        return create(realBin, -1, program, bytesPerSecond);
    }

    /** Wrappers whose pg_restore fails (exit 1, an error on stderr) when one of its arguments is {@code argument}. */
    public static PgBinSpy failingPgRestoreOn(Path realBin, String argument) throws IOException {
        return create(realBin, -1, null, 0, argument, 0);
    }

    /**
     * Wrappers whose pg_restore, when one of its arguments starts with {@code prefix}, reads
     * {@code bytes} bytes of its stdin and then fails (exit 1, an error on stderr): a loader that
     * fails in the middle of its stream.
     */
    public static PgBinSpy failingPgRestoreAfter(Path realBin, String prefix, long bytes) throws IOException {
        return create(realBin, -1, null, 0, prefix, bytes);
    }

    private static PgBinSpy create(Path realBin, long cutAfter) throws IOException {
        return create(realBin, cutAfter, null, 0);
    }

    private static PgBinSpy create(Path realBin, long cutAfter, String throttled, long bytesPerSecond) throws IOException {
        return create(realBin, cutAfter, throttled, bytesPerSecond, null, 0);
    }

    private static PgBinSpy create(Path realBin, long cutAfter, String throttled, long bytesPerSecond, String failOn,
                                   long failAfter) throws IOException {
        Path dir = Scratch.dir("lifeboat-pgbin-");
        Path records = Files.createDirectories(dir.resolve("records"));
        for (String p : PROGRAMS) {
            String real = realBin.resolve(p).toString();
            StringBuilder sh = new StringBuilder("#!/bin/bash\n");
            sh.append("if [ \"$1\" = \"--version\" ]; then exec ").append(real).append(" --version; fi\n");
            sh.append("printf '%s\\n' \"$@\" > ").append(records).append("/").append(p).append(".argv.$$\n");
            sh.append("env > ").append(records).append("/").append(p).append(".env.$$\n");
            if (p.equals("pg_restore") && failOn != null && failAfter == 0) {
                sh.append("for a in \"$@\"; do if [ \"$a\" = '").append(failOn)
                        .append("' ]; then echo 'pg_restore: error: injected failure' >&2; exit 1; fi; done\n");
            } else if (p.equals("pg_restore") && failOn != null) {
                sh.append("for a in \"$@\"; do case \"$a\" in '").append(failOn).append("'*) head -c ").append(failAfter)
                        .append(" > /dev/null; echo 'pg_restore: error: injected failure' >&2; exit 1;; esac; done\n");
            }
            if (p.equals("pg_dump") && cutAfter >= 0) {
                sh.append(real).append(" \"$@\" | head -c ").append(cutAfter).append("\n");
                sh.append("kill -9 $$\n");
            } else if (p.equals(throttled)) {
                // after every 256 KiB, sleep as long as they take at the rate (perl-base only, no modules)
                String limiter = "perl -e 'binmode STDIN; binmode STDOUT; my $n = 0; while (my $r = sysread(STDIN, $b, 65536)) { "
                        + "my $o = 0; while ($o < $r) { my $w = syswrite(STDOUT, $b, $r - $o, $o); exit 1 unless defined $w; $o += $w } "
                        + "$n += $r; if ($n >= 262144) { select(undef, undef, undef, $n / " + bytesPerSecond + "); $n = 0 } }'";
                boolean reads = p.equals("pg_restore") || p.equals("psql");
                sh.append("exec ").append(real).append(" \"$@\" ").append(reads ? "< <(exec " : "> >(exec ").append(limiter).append(")\n");
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

    /** The pids of every call of {@code program} (the wrappers exec the real program, so these are its pids). */
    public List<Long> pids(String program) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(records)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(program + ".argv.")) out.add(Long.parseLong(name.substring(name.lastIndexOf('.') + 1)));
            }
        }
        return out;
    }

    /** The pids of the calls of {@code program} that were given {@code argument} (one of their arguments, exactly). */
    public List<Long> pidsGiven(String program, String argument) throws IOException {
        List<Long> out = new ArrayList<>();
        for (long pid : pids(program)) {
            Path argv = records.resolve(program + ".argv." + pid);
            if (Files.readAllLines(argv, StandardCharsets.UTF_8).contains(argument)) out.add(pid);
        }
        return out;
    }

    /** What the call {@code pid} of {@code program} was given: its {@code argv} or {@code env}, one line each. */
    public List<String> given(String program, long pid, String what) throws IOException {
        return Files.readAllLines(records.resolve(program + "." + what + "." + pid), StandardCharsets.UTF_8);
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
