package dev.lifeboat.ops;

/** The work of one command, run by {@link Operations#run}; returns the command's report. */
@FunctionalInterface
public interface Job<T> {
    T run(RunContext context) throws Exception;
}
