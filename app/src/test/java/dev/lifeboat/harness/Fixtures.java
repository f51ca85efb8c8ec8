package dev.lifeboat.harness;

import java.io.IOException;
import java.sql.SQLException;

/**
 * The sample databases in src/test/resources/fixtures (origin and licences: FIXTURES.md there):
 * {@code pagila} (22 tables incl. a partitioned one, enum, domains, triggers, views, a
 * materialized view, ~46k rows) and {@code chinook} (11 tables, ~15k rows, many foreign keys).
 */
public final class Fixtures {
    public static final String PAGILA = "pagila";
    public static final String CHINOOK = "chinook";

    private Fixtures() {}

    /** Creates {@code db} on the cluster and loads fixture {@code name} ("pagila" or "chinook") into it. */
    public static void load(PgCluster cluster, String db, String name) throws IOException, SQLException {
        cluster.createDatabase(db);
        cluster.loadSql(db, "/fixtures/" + name + ".sql");
    }
}
