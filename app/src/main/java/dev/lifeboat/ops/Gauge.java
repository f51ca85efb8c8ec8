package dev.lifeboat.ops;

/** The command-specific series a job may set through {@link RunContext#gauge}. */
public enum Gauge {
    DRILL_RESTORE_SECONDS("lifeboat_drill_restore_seconds", "Seconds the last drill took to restore the backup."),
    DRILL_DIFFERENCES("lifeboat_drill_differences", "Tables whose restored row count differed from the manifest in the last drill."),
    BACKUP_AGE_SECONDS("lifeboat_backup_age_seconds", "Age in seconds of the newest complete backup, as seen by the last verify.");

    public final String metric;
    public final String help;

    Gauge(String metric, String help) {
        this.metric = metric;
        this.help = help;
    }
}
