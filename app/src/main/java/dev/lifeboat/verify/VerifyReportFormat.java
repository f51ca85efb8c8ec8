package dev.lifeboat.verify;

import dev.lifeboat.json.Json;

import java.io.PrintStream;

/** The verify report for people (one line per layer) and for scripts (one JSON document). */
public final class VerifyReportFormat {
    private VerifyReportFormat() {}

    public static String json(VerifyReport report) {
        return Json.string(report);
    }

    /**
     * <pre>
     * verify pg/app/2026-11-20/140000 (level full)
     *   ok    checksum    sha256 matches (123 MB)
     *   FAIL  decrypt     OpenPGP integrity check failed: ...
     * </pre>
     */
    public static void text(VerifyReport report, PrintStream out) {
        for (BackupVerdict b : report.backups()) {
            out.println("verify " + b.key() + " (level " + b.level().word() + ")");
            for (Check c : b.checks()) line(out, c);
            if (b.verifiedKey() != null) out.println("  wrote " + b.verifiedKey());
        }
        line(out, report.age());
        int failed = (int) report.backups().stream().filter(b -> !b.passed()).count();
        String what = report.backups().size() + " backup(s) of " + report.source() + " in " + report.store() + ", level "
                + report.level().word() + (report.level() == VerifyLevel.QUICK
                ? " (decrypt, archive and table checks need --level full and the secret key)" : "");
        out.println(report.passed() ? "verify: every layer held: " + what
                : "verify: FAILED (" + failed + " backup(s)" + (report.age().failed() ? ", age" : "") + "): " + what);
    }

    private static void line(PrintStream out, Check c) {
        out.println(String.format("  %-5s %-10s  %s", c.status().word, c.layer(), c.detail()));
    }
}
