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
        int code = run(System.out, System.err, System.getenv(), args);
        System.out.flush();
        System.exit(code);
    }

    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        return run(out, err, env, Clock.systemUTC(), args);
    }

    /** As above, on {@code clock} (tests that need two runs in the same second). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, String... args) {
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
        return cl.execute(args);
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
