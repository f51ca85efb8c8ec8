package dev.lifeboat;

import dev.lifeboat.cli.LifeboatCommand;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;

/**
 * The one entry point. {@link #run} lets a test drive the whole command line in-process with
 * its own streams and environment map; {@link #main} wires it to the real process.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        // Bouncy Castle proves an RSA key's modulus composite with Miller-Rabin rounds before using
        // it. A prime modulus (the attack this catches) never passes any round, so one round keeps
        // the check; the default three cost a tenth of a second of every run's start.
        if (System.getProperty("org.bouncycastle.rsa.max_mr_tests") == null) {
            System.setProperty("org.bouncycastle.rsa.max_mr_tests", "1");
        }
        Logging.configure(hasFlag(args, "--debug"));
        Outcome outcome = execute(System.out, System.err, System.getenv(), Clock.systemUTC(), args);
        if (outcome.code() == ExitCode.OK.code && outcome.commandRan()) markClassArchiveGood();
        System.out.flush();
        System.exit(outcome.code());
    }

    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return run(out, err, env, Clock.systemUTC(), args);
    }

    /** As above, on {@code clock} (tests that need two runs in the same second). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, String... args) {
        return execute(out, err, env, clock, args).code();
    }

    /** A run's exit code, and whether a command ran at all (not help, a version or a usage error). */
    private record Outcome(int code, boolean commandRan) {}

    private static Outcome execute(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, String... args) {
        LifeboatCommand root = new LifeboatCommand(out, err, env, clock);
        CommandLine cl = new CommandLine(root);
        LifeboatCommand.addSubcommands(cl, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) codes.put(String.format("%3d", c.code), c.meaning);
        applyExitCodeHelp(cl, codes);
        cl.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("lifeboat: " + ex.getMessage()
                    + " (see 'lifeboat " + ex.getCommandLine().getCommandName().replace("lifeboat", "").trim() + " --help')");
            return ExitCode.USAGE.code;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, root, err));
        int code = cl.execute(args);
        return new Outcome(code, commandRan(cl.getParseResult()));
    }

    /** True when the command line named one of lifeboat's commands and asked for no help or version. */
    private static boolean commandRan(CommandLine.ParseResult parsed) {
        if (parsed == null || !parsed.hasSubcommand()) return false;
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.isUsageHelpRequested() || c.isVersionHelpRequested()) return false;
        }
        return LifeboatCommand.isCommand(parsed.subcommand().commandSpec().name());
    }

    /**
     * scripts/lifeboat records a class-data sharing archive (the classes a command loads) in the
     * first run of each command, and later runs start from it. A run that stopped early (a
     * setting missing, help asked for) loads a fraction of those classes, and an archive of
     * them would slow every later run: the wrapper keeps an archive only when its run leaves
     * this mark, which it names in {@code lifeboat.cds.ok}. Nothing to do outside the wrapper.
     */
    private static void markClassArchiveGood() {
        String mark = System.getProperty("lifeboat.cds.ok");
        if (mark == null || mark.isEmpty()) return;
        try {
            java.nio.file.Files.write(java.nio.file.Path.of(mark), new byte[0]);
        } catch (java.io.IOException | RuntimeException ignored) {
            // the cache is best effort: without the mark, the next run records the archive again
        }
    }

    private static void applyExitCodeHelp(CommandLine cl, Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) applyExitCodeHelp(sub, codes);
    }

    /** The one place where a failure becomes a line on stderr and an exit code. */
    static int report(Exception ex, LifeboatCommand root, PrintStream err) {
        Throwable t = ex;
        if (t instanceof CommandLine.ExecutionException && t.getCause() != null) t = t.getCause();
        String message;
        ExitCode code;
        if (t instanceof LifeboatException le) {
            code = le.exitCode();
            message = le.getMessage();
        } else if (t instanceof dev.lifeboat.store.StoreConfigException) {
            code = ExitCode.USAGE;
            message = t.getMessage();
        } else if (t instanceof java.io.IOException) {
            code = ExitCode.FAILED;
            message = t.getMessage();
        } else {
            code = ExitCode.FAILED;
            message = "unexpected error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
                    + (root.debug() ? "" : " (run with --debug for the stack trace)");
        }
        err.println("lifeboat: " + root.redact(message));
        if (root.debug()) {
            java.io.StringWriter sw = new java.io.StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            err.print(root.redact(sw.toString()));
        }
        err.flush();
        return code.code;
    }

    private static boolean hasFlag(String[] args, String flag) {
        for (String a : args) if (a.equals(flag)) return true;
        return false;
    }
}
