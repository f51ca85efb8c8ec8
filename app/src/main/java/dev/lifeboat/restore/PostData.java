package dev.lifeboat.restore;

import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.pg.PgBinaries;
import dev.lifeboat.pg.PgChild;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The post-data section of a restore (indexes, constraints, triggers, rules), run by a
 * second pg_restore from the copy of the table of contents, with {@code jobs} connections, while
 * the checks that need only the data (row counts) run beside it on their own connection. A count
 * waits only for the lock of the one table whose primary key is being built; the two together
 * take about as long as the index builds alone.
 */
final class PostData {
    /** The checks to run beside the section. */
    @FunctionalInterface
    interface Checks {
        List<Difference> check() throws IOException, SQLException;
    }

    private PostData() {}

    static List<Difference> run(PgBinaries bins, DatabaseUrl target, List<String> options, int jobs, Path toc, Checks alongside)
            throws IOException, InterruptedException, SQLException {
        List<String> args = new ArrayList<>(List.of("--exit-on-error", "--no-password", "--dbname=" + target.database(),
                "--section=post-data"));
        if (jobs > 1) args.add("--jobs=" + jobs);
        args.addAll(options);
        args.add(toc.toString());
        Map<String, String> env = new LinkedHashMap<>(RestoreSession.env(target));
        env.put("PGAPPNAME", RestoreSession.POST_DATA);
        try (PgChild restore = PgChild.start(bins.pgRestore(), args, env)) {
            restore.stdin().close();
            List<Difference> found = alongside.check();
            restore.requireSuccess();
            return found;
        }
    }
}
