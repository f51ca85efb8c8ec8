package dev.lifeboat.ops;

import dev.lifeboat.LifeboatException;
import dev.lifeboat.config.Env;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * BACKUP_SMTP_URL (a secret, so BACKUP_SMTP_URL_FILE works too) and BACKUP_EMAIL_TO:
 * <pre>smtp://[user[:password]@]host[:port][?from=addr][&amp;starttls=required|opportunistic|off]
 * smtps://[user[:password]@]host[:port][?from=addr]</pre>
 * {@code smtp} defaults to port 587 and STARTTLS {@code required} when a user is given
 * ({@code opportunistic} without one); {@code smtps} is TLS from the first byte, port 465.
 * Percent-encode {@code @ : / ?} in the user and password. {@code from} defaults to
 * {@code lifeboat@<host name>}. Server certificates and host names are checked.
 */
record SmtpSettings(String host, int port, boolean tls, String starttls, String user, String password,
                    InternetAddress from, List<InternetAddress> to) {
    private static final String VAR = "BACKUP_SMTP_URL";

    static Optional<SmtpSettings> from(Env env) {
        Optional<String> raw = env.secret(VAR);
        List<String> to = env.list("BACKUP_EMAIL_TO");
        if (raw.isEmpty()) {
            if (!to.isEmpty()) throw LifeboatException.config("BACKUP_EMAIL_TO is set but BACKUP_SMTP_URL is not (expected smtp://user:password@host:port)");
            return Optional.empty();
        }
        if (to.isEmpty()) throw LifeboatException.config("BACKUP_SMTP_URL is set but BACKUP_EMAIL_TO is not (expected comma-separated addresses)");
        return Optional.of(parse(raw.get(), to, env));
    }

    private static SmtpSettings parse(String value, List<String> to, Env env) {
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw bad("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) throw bad("must start with smtp:// or smtps://");
        if (uri.getHost() == null) throw bad("has no host");
        boolean tls = scheme.equals("smtps");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                env.rememberSecret(info.substring(colon + 1));
                password = decode(info.substring(colon + 1));
                env.rememberSecret(password);
            }
        }
        Map<String, String> q = query(uri.getRawQuery());
        for (String k : q.keySet()) {
            if (!k.equals("from") && !k.equals("starttls")) throw bad("has an unknown parameter '" + k + "' (known: from, starttls)");
        }
        String starttls = q.getOrDefault("starttls", user != null ? "required" : "opportunistic").toLowerCase(Locale.ROOT);
        if (!List.of("required", "opportunistic", "off").contains(starttls)) throw bad("starttls must be required, opportunistic or off");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 587;
        InternetAddress from = address(VAR + " from", q.getOrDefault("from", "lifeboat@" + Host.name()));
        List<InternetAddress> recipients = to.stream().map(a -> address("BACKUP_EMAIL_TO", a)).toList();
        return new SmtpSettings(uri.getHost(), port, tls, starttls, user, password, from, recipients);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new TreeMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) throw bad("parameter '" + decode(pair) + "' has no value");
            out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static InternetAddress address(String what, String text) {
        try {
            return new InternetAddress(text, true);
        } catch (AddressException e) {
            throw LifeboatException.config(what + ": '" + text + "' is not an email address");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static LifeboatException bad(String what) {
        return LifeboatException.config(VAR + " " + what + " (expected smtp://user:password@host:port?from=addr or smtps://…)");
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + (tls ? " tls" : " starttls=" + starttls) + (user == null ? "" : " user=" + user) + "]";
    }
}
