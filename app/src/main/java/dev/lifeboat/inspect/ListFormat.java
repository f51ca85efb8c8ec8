package dev.lifeboat.inspect;

import dev.lifeboat.json.Json;
import dev.lifeboat.verify.Units;

import java.io.PrintStream;
import java.util.Locale;

/** {@code lifeboat list} for people (a table, newest last) and scripts (one JSON document). */
public final class ListFormat {
    private static final String LINE = "%-45s  %-20s  %-12s  %9s  %-10s  %6s  %-8s  %s";

    private ListFormat() {}

    public static String json(ListJob.Report report) {
        return Json.string(report);
    }

    public static void table(ListJob.Report report, PrintStream out) {
        if (report.backups().isEmpty()) {
            out.println("no backups of " + report.source() + " in " + report.store());
            return;
        }
        out.println(String.format(Locale.ROOT, LINE, "KEY", "TIME (UTC)", "TAG", "SIZE", "ENCRYPTION", "TABLES", "VERIFIED", "")
                .stripTrailing());
        for (ListJob.Row r : report.backups()) {
            out.println(String.format(Locale.ROOT, LINE, r.key(), r.time().toString(), r.tag() == null ? "-" : r.tag(),
                    size(r.storedBytes()), r.encryption() == null ? "-" : r.encryption(),
                    r.tables() == null ? "-" : r.tables().toString(), r.verified() ? "yes" : "-",
                    r.note() == null ? "" : r.note()).stripTrailing());
        }
    }

    private static String size(long n) {
        return Units.bytes(n);
    }
}
