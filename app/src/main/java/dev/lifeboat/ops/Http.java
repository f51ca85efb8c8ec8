package dev.lifeboat.ops;

import dev.lifeboat.LifeboatException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The small HTTP part of notifiers: one POST with a deadline, a 2xx check, URL checks. */
final class Http {
    private Http() {}

    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    static void post(HttpClient client, URI uri, String contentType, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "lifeboat")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) throw new IOException("HTTP status " + response.statusCode());
    }

    /** An http(s) URL from a variable; a malformed one is a configuration error (exit 2). */
    static URI url(String variable, String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw LifeboatException.config(variable + " is not an http:// or https:// URL");
        }
    }

    /** {@code uri} with {@code suffix} appended to its path, query kept: {@code …/uuid} + {@code /fail}. */
    static URI withPath(URI uri, String suffix) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String s = uri.getScheme() + "://" + uri.getRawAuthority() + path + suffix + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return URI.create(s);
    }
}
