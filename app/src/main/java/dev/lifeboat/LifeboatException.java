package dev.lifeboat;

/**
 * A failure the user is meant to read: printed as one line, without a stack trace
 * (unless --debug), and mapped to its exit code by {@link Main}. Messages never
 * contain secrets.
 */
public class LifeboatException extends RuntimeException {
    private final ExitCode exitCode;

    public LifeboatException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LifeboatException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Exit 2: a missing or malformed setting, a wrong key, bad usage. */
    public static LifeboatException config(String message) {
        return new LifeboatException(ExitCode.USAGE, message);
    }

    /** Exit 3: the work failed. */
    public static LifeboatException failed(String message, Throwable cause) {
        return new LifeboatException(ExitCode.FAILED, message, cause);
    }

    public static LifeboatException failed(String message) {
        return new LifeboatException(ExitCode.FAILED, message);
    }

    /** Exit 1: a check did not hold. */
    public static LifeboatException checkFailed(String message) {
        return new LifeboatException(ExitCode.CHECK_FAILED, message);
    }

    /** Exit 75: another run holds the lock. */
    public static LifeboatException locked(String message) {
        return new LifeboatException(ExitCode.LOCKED, message);
    }
}
