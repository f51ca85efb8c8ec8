package dev.lifeboat.ops;

import dev.lifeboat.ExitCode;
import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpSettingsTest {
    private static SmtpSettings parse(String url) {
        return SmtpSettings.from(Env.of(Map.of("BACKUP_SMTP_URL", url, "BACKUP_EMAIL_TO", "a@example.com,b@example.com"))).orElseThrow();
    }

    @Test
    void defaultsAreSafe() {
        SmtpSettings s = parse("smtp://bot:pw@mail.example.com");
        assertEquals(587, s.port());
        assertEquals("required", s.starttls(), "a password never goes out in clear text by default");
        assertEquals(2, s.to().size());
        SmtpSettings tls = parse("smtps://bot:pw@mail.example.com?from=Backups%20%3Cbackup%40example.com%3E");
        assertEquals(465, tls.port());
        assertTrue(tls.tls());
        assertEquals("backup@example.com", tls.from().getAddress());
        assertEquals("opportunistic", parse("smtp://relay:25").starttls());
    }

    @Test
    void passwordIsDecodedRememberedAsSecretAndNeverPrinted() {
        Env env = Env.of(Map.of("BACKUP_SMTP_URL", "smtp://bot%40example.com:p%40ss+w0rd@mail.example.com:2525?starttls=off",
                "BACKUP_EMAIL_TO", "ops@example.com"));
        SmtpSettings s = SmtpSettings.from(env).orElseThrow();
        assertEquals("bot@example.com", s.user());
        assertEquals("p@ss+w0rd", s.password());
        assertEquals(2525, s.port());
        assertEquals("auth failed for *** (***)", env.redact("auth failed for p@ss+w0rd (p%40ss+w0rd)"));
        assertFalse(s.toString().contains("p@ss"), s.toString());
    }

    @Test
    void mistakesAreConfigurationErrors() {
        for (String bad : new String[] {"http://mail", "smtp://", "smtp://h?tls=yes", "smtp://h?starttls=maybe", "smtp://h?from=not-an-address"}) {
            LifeboatException e = assertThrows(LifeboatException.class, () -> parse(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("BACKUP_SMTP_URL"), e.getMessage());
        }
        LifeboatException noTo = assertThrows(LifeboatException.class,
                () -> SmtpSettings.from(Env.of(Map.of("BACKUP_SMTP_URL", "smtp://h"))));
        assertTrue(noTo.getMessage().contains("BACKUP_EMAIL_TO"));
    }
}
