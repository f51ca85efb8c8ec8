package dev.lifeboat.cli;

import dev.lifeboat.Version;
import dev.lifeboat.config.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The root command: global options, and the invocation (streams, environment, clock) that
 * every subcommand reaches through {@code @ParentCommand}. Subcommands are thin: they turn
 * options into a request and call a job that knows nothing of picocli.
 */
@Command(name = "lifeboat",
        mixinStandardHelpOptions = true,
        versionProvider = LifeboatCommand.VersionProvider.class,
        description = "Keeps a PostgreSQL database and the S3/MinIO bucket beside it recoverable.%n"
                + "Configured from environment variables; see README.md.",
        subcommands = {
                BackupCommand.class,
                MirrorCommand.class,
                RotateCommand.class,
                RestoreCommand.class,
                VerifyCommand.class,
                DrillCommand.class,
                ListCommand.class,
                CheckCommand.class,
        })
public final class LifeboatCommand implements Runnable {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> processEnv;
    private final Clock clock;
    private Env env;

    @Option(names = "--env-file", paramLabel = "PATH",
            description = "Load KEY=VALUE lines from this file; variables already set win (env: LIFEBOAT_ENV_FILE).")
    Path envFile;

    @Option(names = "--debug", description = "Show stack traces and debug logs.")
    boolean debug;

    public LifeboatCommand(PrintStream out, PrintStream err, Map<String, String> processEnv, Clock clock) {
        this.out = out;
        this.err = err;
        this.processEnv = processEnv;
        this.clock = clock;
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(out);
    }

    /** The configuration: process environment over --env-file (or LIFEBOAT_ENV_FILE). */
    public synchronized Env env() {
        if (env == null) {
            Path file = envFile;
            if (file == null && processEnv.get("LIFEBOAT_ENV_FILE") != null && !processEnv.get("LIFEBOAT_ENV_FILE").isEmpty()) {
                file = Path.of(processEnv.get("LIFEBOAT_ENV_FILE"));
            }
            env = file == null ? Env.of(processEnv) : Env.withFile(processEnv, file);
        }
        return env;
    }

    public PrintStream out() { return out; }
    public PrintStream err() { return err; }
    public Clock clock() { return clock; }
    public boolean debug() { return debug; }

    public String redact(String message) {
        return env == null ? message : env.redact(message);
    }

    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lifeboat " + Version.get()};
        }
    }
}
