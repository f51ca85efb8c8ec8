package dev.lifeboat.cli;

import dev.lifeboat.Version;
import dev.lifeboat.config.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The root command: global options, and the invocation (streams, environment, clock) that
 * every subcommand reaches through {@code @ParentCommand}. Subcommands are thin: they turn
 * options into a request and call a job that knows nothing of picocli.
 */
@Command(name = "lifeboat",
        mixinStandardHelpOptions = true,
        versionProvider = LifeboatCommand.VersionProvider.class,
        description = "Keeps a PostgreSQL database and the S3/MinIO bucket beside it recoverable.%n"
                + "Configured from environment variables; see README.md.")
public final class LifeboatCommand implements Runnable {
    /**
     * The subcommands by name, in the order help lists them. {@link #addSubcommands} builds
     * only the one a command line names: picocli reads every option of every command it is
     * given, which took about 15 ms (30 ms of CPU) of each start for commands that did not run.
     */
    static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("backup", BackupCommand::new);
        m.put("mirror", MirrorCommand::new);
        m.put("rotate", RotateCommand::new);
        m.put("restore", RestoreCommand::new);
        m.put("verify", VerifyCommand::new);
        m.put("drill", DrillCommand::new);
        m.put("list", ListCommand::new);
        m.put("check", CheckCommand::new);
        return m;
    }

    /** True for the name of one of lifeboat's commands (not picocli's {@code help}). */
    public static boolean isCommand(String name) {
        return SUBCOMMANDS.containsKey(name);
    }

    /**
     * Adds the subcommand {@code args} names, or every one when they name none of them (help,
     * a typo, no command at all), so help and picocli's own errors are what they always were.
     */
    public static void addSubcommands(picocli.CommandLine cl, String... args) {
        String named = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--env-file")) {
                i++; // its value
            } else if (a.equals("-h") || a.equals("--help")) {
                break; // the root's help, which lists every command
            } else if (!a.startsWith("-")) {
                named = a;
                break;
            }
        }
        if (named != null && SUBCOMMANDS.containsKey(named)) {
            cl.addSubcommand(named, SUBCOMMANDS.get(named).get());
            return;
        }
        SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
    }

    @Spec
    private CommandSpec spec;

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
        spec.commandLine().usage(out);
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
