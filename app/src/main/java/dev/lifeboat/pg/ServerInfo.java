package dev.lifeboat.pg;

/** What a backup records about the live server and database. */
public record ServerInfo(PgVersion version, String database, String encoding, String collate, String ctype,
                         String currentUser, boolean superuser) {}
