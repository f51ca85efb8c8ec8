package dev.lifeboat.cli;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.DatabaseUrl;
import dev.lifeboat.config.Env;

/** Database URLs given in flags: never with a password in them (it would show in the process list). */
final class Targets {
    private Targets() {}

    /** {@code flagValue} if given (parts it leaves out come from DATABASE_URL / PG*), else DATABASE_URL. */
    static DatabaseUrl database(Env env, String flag, String flagValue) {
        DatabaseUrl fromEnv = DatabaseUrl.fromEnv(env, "DATABASE_URL");
        if (flagValue == null) return fromEnv;
        DatabaseUrl given = DatabaseUrl.parse(flag, flagValue, fromEnv.withoutPassword());
        if (given.hasPassword()) {
            throw LifeboatException.config(flag + " holds a password; passwords never go in flags (they show in the process list): "
                    + "put it in DATABASE_URL, PGPASSWORD or PGPASSWORD_FILE");
        }
        boolean sameLogin = given.user().equals(fromEnv.user()) && given.host().equals(fromEnv.host()) && given.port() == fromEnv.port();
        return sameLogin && fromEnv.hasPassword() ? DatabaseUrl.parse(flag, flagValue, fromEnv) : given;
    }
}
