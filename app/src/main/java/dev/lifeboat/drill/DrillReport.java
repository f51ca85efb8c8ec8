package dev.lifeboat.drill;

import dev.lifeboat.restore.Difference;

import java.util.List;

/** The drill's result: what the compliance register keeps under drill/ and rotate counts as "verified". */
public record DrillReport(String format, String status, String backup, String backupTime, double backupAgeHours,
                          String database, int tablesChecked, long rowsChecked, int sequencesChecked,
                          List<Difference> differences, List<String> uncoveredTables, List<String> failedChecks,
                          double restoreSeconds, double rtoTargetSeconds, boolean rtoMet, String drilledAt,
                          String lifeboatVersion) {
    public static final String FORMAT = "lifeboat-drill/1";

    public boolean passed() {
        return "passed".equals(status);
    }
}
