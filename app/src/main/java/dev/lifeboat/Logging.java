package dev.lifeboat;

/**
 * slf4j-simple set up for lifeboat: one line per event on stderr, UTC time, level, short
 * logger name. Must run before the first logger is made.
 */
public final class Logging {
    private Logging() {}

    public static void configure(boolean debug) {
        set("org.slf4j.simpleLogger.logFile", "System.err");
        set("org.slf4j.simpleLogger.showDateTime", "true");
        set("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss'Z'");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.showShortLogName", "true");
        set("org.slf4j.simpleLogger.levelInBrackets", "false");
        set("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "info");
        for (String noisy : new String[] {"software.amazon.awssdk", "io.minio", "okhttp3", "org.eclipse.jetty", "org.gaul", "org.jclouds", "org.postgresql"}) {
            set("org.slf4j.simpleLogger.log." + noisy, "warn");
        }
    }

    private static void set(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
