package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.check.CheckJob;
import dev.lifeboat.check.CheckReport;
import dev.lifeboat.check.CheckResult;
import dev.lifeboat.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Preflight before trusting a cron line: the database and its role (may it read every table?),",
                "pg_dump/pg_restore, the backup store (write, read, list, delete of a test object it removes again),",
                "the live MinIO bucket, the encryption, signing and secret keys (and whether every retained backup",
                "opens with them), keys that expire within 30 days, the bucket's versioning and object lock,",
                "the lock directory and the metrics file's directory. Prints one line per check: ok, FAIL (with the fix)",
                "or skip. Changes nothing it does not undo. Exit 0 when every check holds, 1 when any fails.",
                "",
                "Environment: everything the other commands read; see README."})
public final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() {
        CheckReport report = new CheckJob(root.env(), root.clock()).run();
        if (json) {
            root.out().println(root.redact(Json.string(report)));
        } else {
            for (CheckResult c : report.checks()) root.out().println(root.redact(c.line()));
            root.out().printf("%d ok, %d failed, %d skipped%n", report.passed(), report.failed(), report.skipped());
        }
        root.out().flush();
        if (report.failed() > 0) {
            throw LifeboatException.checkFailed(report.failed() + " check(s) failed: " + String.join(", ", report.failedNames()));
        }
        return 0;
    }
}
