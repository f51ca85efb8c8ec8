package dev.lifeboat.ops;

import dev.lifeboat.config.Env;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * A mail on failure only (BACKUP_SMTP_URL, BACKUP_EMAIL_TO; see {@link SmtpSettings}), sent
 * with Jakarta Mail (Eclipse Angus). Subject: the one-line summary; body: the summary and the
 * last log lines, secrets removed.
 */
final class Email implements Notifier {
    private final SmtpSettings smtp;
    private final Duration timeout;

    Email(SmtpSettings smtp, Duration timeout) {
        this.smtp = smtp;
        this.timeout = timeout;
    }

    static Optional<Email> from(Env env, Duration timeout) {
        return SmtpSettings.from(env).map(s -> new Email(s, timeout));
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public void finished(RunOutcome outcome, String logTail) throws Exception {
        if (outcome.success()) return;
        Session session = Session.getInstance(properties());
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(smtp.from());
        msg.setRecipients(Message.RecipientType.TO, smtp.to().toArray(new InternetAddress[0]));
        msg.setSubject("[lifeboat] " + outcome.command() + " " + outcome.source() + " failed on " + outcome.host(), "UTF-8");
        msg.setSentDate(Date.from(outcome.finished()));
        msg.setText(outcome.summary() + "\n\nLast log lines:\n\n" + logTail + "\n", "UTF-8");
        if (smtp.user() != null) {
            Transport.send(msg, smtp.user(), smtp.password() == null ? "" : smtp.password());
        } else {
            Transport.send(msg);
        }
    }

    private Properties properties() {
        String p = "mail.smtp.";
        String ms = Long.toString(timeout.toMillis());
        Properties props = new Properties();
        props.put(p + "host", smtp.host());
        props.put(p + "port", Integer.toString(smtp.port()));
        props.put(p + "from", smtp.from().getAddress());
        props.put(p + "connectiontimeout", ms);
        props.put(p + "timeout", ms);
        props.put(p + "writetimeout", ms);
        props.put(p + "auth", Boolean.toString(smtp.user() != null));
        props.put(p + "ssl.enable", Boolean.toString(smtp.tls()));
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "starttls.enable", Boolean.toString(!smtp.tls() && !smtp.starttls().equals("off")));
        props.put(p + "starttls.required", Boolean.toString(!smtp.tls() && smtp.starttls().equals("required")));
        return props;
    }
}
