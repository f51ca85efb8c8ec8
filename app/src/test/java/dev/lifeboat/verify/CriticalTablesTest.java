package dev.lifeboat.verify;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.backup.Manifest.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CriticalTablesTest {
    @Test
    void bareNamesMeanPublicAndUnquotedNamesFoldToLowerCase() {
        assertEquals(List.of(new TableName("public", "orders"), new TableName("sales", "customers")),
                CriticalTables.parse(List.of("Orders", " Sales.Customers ")));
    }

    @Test
    void quotedNamesAreTakenExactly() {
        assertEquals(List.of(new TableName("Sales", "Order.Lines"), new TableName("public", "say \"hi\"")),
                CriticalTables.parse(List.of("\"Sales\".\"Order.Lines\"", "\"say \"\"hi\"\"\"")));
    }

    @Test
    void duplicatesAreDropped() {
        assertEquals(List.of(new TableName("public", "film")), CriticalTables.parse(List.of("film", "public.film", "PUBLIC.FILM")));
    }

    @Test
    void malformedItemsAreAConfigErrorNamingTheVariable() {
        for (String bad : List.of("a.b.c", ".film", "public.", "\"open")) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> CriticalTables.parse(List.of(bad)), bad);
            assertEquals(2, e.exitCode().code);
            assertTrue(e.getMessage().startsWith("BACKUP_CRITICAL_TABLES: '" + bad + "'"), e.getMessage());
        }
    }
}
