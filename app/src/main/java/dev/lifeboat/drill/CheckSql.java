package dev.lifeboat.drill;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code drill --check-sql FILE}: the operator's own checks, one query per statement (separated
 * by ';' at the end of a line, '--' comments allowed); each must return a single true.
 */
final class CheckSql {
    private CheckSql() {}

    static List<String> queries(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw LifeboatException.config("--check-sql: cannot read " + file);
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("--") || l.isEmpty()) continue;
            current.append(l).append('\n');
            if (l.endsWith(";")) {
                out.add(current.toString().strip().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) out.add(current.toString().strip());
        if (out.isEmpty()) throw LifeboatException.config("--check-sql " + file + " holds no query");
        return out;
    }

    /** Returns the checks that did not return true, each with what it returned. */
    static List<String> run(Connection c, List<String> queries) {
        List<String> failed = new ArrayList<>();
        for (String q : queries) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
                boolean ok = rs.next() && rs.getBoolean(1) && !rs.next();
                if (!ok) failed.add(q + " did not return true");
            } catch (SQLException e) {
                failed.add(q + " failed: " + e.getMessage());
            }
        }
        return failed;
    }
}
