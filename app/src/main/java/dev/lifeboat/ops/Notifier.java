package dev.lifeboat.ops;

/**
 * One way of telling someone how a run went. Implementations may block and throw; the
 * caller ({@link Notifications}) runs them on a side thread with a time budget and turns any
 * failure into a warning, so a notifier never fails or holds up a run.
 */
interface Notifier {
    /** For log lines: "healthcheck", "webhook", "email". Never a URL (URLs may hold tokens). */
    String name();

    /** The run has taken its locks and starts now. */
    default void started(String command, String source) throws Exception {}

    /** The run ended; {@code logTail} is its last log lines with secrets removed. */
    void finished(RunOutcome outcome, String logTail) throws Exception;
}
