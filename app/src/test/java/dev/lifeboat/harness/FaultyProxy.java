package dev.lifeboat.harness;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 proxy on 127.0.0.1 in front of one upstream server (usually {@link S3Server}).
 * It forwards bytes verbatim (so SigV4 signatures stay valid), records every request (method,
 * path, query), and injects bounded faults:
 * <ul>
 *   <li>{@link #failNext(int, int)}: the next K requests are answered with that status (and an
 *       S3-style XML error, {@code Connection: close}) without reaching the upstream;</li>
 *   <li>{@link #cutNext(int, long)}: the next K responses whose body is longer than N bytes are
 *       cut (both sockets closed) after N body bytes;</li>
 *   <li>{@link #cutRequestAfter(int, long)}: the next K requests whose body is longer than N bytes
 *       (uploads) are cut after N body bytes reached the server: the connection breaks mid-upload;</li>
 *   <li>{@link #throttleResponses(long)}: response bodies flow at about that many bytes per second
 *       (a slow download, so that a test can stop a run in the middle of it).</li>
 * </ul>
 * Faults are counted down, so the proxy goes back to plain forwarding by itself. Threads are
 * daemons, sockets time out after two idle minutes, and {@link #close()} stops everything.
 */
public final class FaultyProxy implements AutoCloseable {
    /**
     * One request as the proxy saw it; {@code injected} when the proxy answered it itself;
     * {@code payloadHash} its x-amz-content-sha256 header ("" without one: UNSIGNED-PAYLOAD, or
     * the hex SHA-256 of a body signed with its content); {@code userAgent} its User-Agent header
     * ("" without one).
     */
    public record Request(String method, String path, String query, boolean injected, String payloadHash, String userAgent) {
        /** Whether the AWS SDK sent it (lifeboat's own requests go with the JDK's User-Agent). */
        public boolean sdk() {
            return userAgent.startsWith("aws-sdk-java");
        }
    }

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failRemaining = new AtomicInteger();
    private volatile int failStatus = 503;
    private final AtomicInteger matchRemaining = new AtomicInteger();
    private volatile java.util.function.Predicate<Request> match = r -> false;
    private final AtomicInteger loseRemaining = new AtomicInteger();
    private volatile java.util.function.Predicate<Request> lose = r -> false;
    private final AtomicInteger cutRemaining = new AtomicInteger();
    private volatile long cutAfter;
    private final AtomicInteger cutRequestRemaining = new AtomicInteger();
    private volatile long cutRequestAfter;
    private final AtomicInteger damageRemaining = new AtomicInteger();
    private volatile java.util.function.Predicate<Request> damage = r -> false;
    private volatile long throttle;
    private volatile boolean closed;

    private FaultyProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon("faulty-proxy-accept", this::acceptLoop);
    }

    /** Starts a proxy to {@code upstreamHost:upstreamPort} on a free loopback port. */
    public static FaultyProxy start(String upstreamHost, int upstreamPort) throws IOException {
        return new FaultyProxy(upstreamHost, upstreamPort);
    }

    /** Starts a proxy to the host and port of an http:// endpoint. */
    public static FaultyProxy start(URI upstream) throws IOException {
        return new FaultyProxy(upstream.getHost(), upstream.getPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Answers the next {@code count} requests with {@code status} (e.g. 500, 503) instead of forwarding them. */
    public void failNext(int count, int status) {
        failStatus = status;
        failRemaining.set(count);
    }

    /** Answers the next {@code count} requests that {@code which} matches with {@code status}; others pass. */
    public void failWhere(java.util.function.Predicate<Request> which, int count, int status) {
        this.match = which;
        this.failStatus = status;
        matchRemaining.set(count);
    }

    /**
     * Forwards the next {@code count} requests that {@code which} matches whole, lets the server
     * answer, and closes the client's connection instead of passing the answer on: the request
     * went through, and the client never learns it.
     */
    public void loseAnswersWhere(java.util.function.Predicate<Request> which, int count) {
        this.lose = which;
        loseRemaining.set(count);
    }

    /** Cuts the next {@code count} responses whose body is longer than {@code afterBodyBytes}, after that many body bytes. */
    public void cutNext(int count, long afterBodyBytes) {
        cutAfter = afterBodyBytes;
        cutRemaining.set(count);
    }

    /**
     * Cuts the next {@code count} requests whose body is longer than {@code afterBodyBytes}: the
     * head and that many body bytes are forwarded, then both connections are closed, so the
     * client sees its upload break in the middle and the server an incomplete request.
     */
    public void cutRequestAfter(int count, long afterBodyBytes) {
        cutRequestAfter = afterBodyBytes;
        cutRequestRemaining.set(count);
    }

    /**
     * Forwards the next {@code count} requests that {@code which} matches (with a Content-Length
     * body) with one byte of the body's middle changed: what the server receives is not what
     * was sent, and nothing else about the request differs.
     */
    public void damageRequestsWhere(java.util.function.Predicate<Request> which, int count) {
        this.damage = which;
        damageRemaining.set(count);
    }

    /** Response bodies are sent at about {@code bytesPerSecond} from now on; 0 turns the throttle off. */
    public void throttleResponses(long bytesPerSecond) {
        throttle = bytesPerSecond;
    }

    /** Faults armed and not yet used (failures + cuts); 0 once all have fired. */
    public int faultsPending() {
        return Math.max(0, failRemaining.get()) + Math.max(0, cutRemaining.get()) + Math.max(0, cutRequestRemaining.get())
                + Math.max(0, loseRemaining.get()) + Math.max(0, damageRemaining.get());
    }

    /** Every request seen since the start or the last {@link #clearRequests()}, in order. */
    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** How many requests had this method (null: any) and a path starting with {@code pathPrefix}. */
    public long count(String method, String pathPrefix) {
        return requests.stream().filter(r -> (method == null || r.method().equals(method)) && r.path().startsWith(pathPrefix)).count();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        closed = true;
        quietly(server);
        for (Socket s : sockets) quietly(s);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                for (Socket s : List.of(client, upstream)) {
                    s.setSoTimeout(120_000);
                    sockets.add(s);
                }
                Queue<Sent> methods = new ConcurrentLinkedQueue<>();
                daemon("faulty-proxy-requests", () -> requests(client, upstream, methods));
                daemon("faulty-proxy-responses", () -> responses(client, upstream, methods));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /** A request passed upstream, whose answer is awaited: its method, and whether that answer is to be lost. */
    private record Sent(String method, boolean lose) {}

    private void requests(Socket client, Socket upstream, Queue<Sent> methods) {
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(upstream.getOutputStream());
            HttpFraming.Head head;
            while ((head = HttpFraming.readHead(in)) != null) {
                String[] parts = head.startLine().split(" ");
                String method = parts[0];
                String target = parts.length > 1 ? parts[1] : "/";
                int q = target.indexOf('?');
                String payloadHash = head.header("x-amz-content-sha256");
                String userAgent = head.header("User-Agent");
                Request seen = new Request(method, q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1), false,
                        payloadHash == null ? "" : payloadHash, userAgent == null ? "" : userAgent);
                boolean inject = failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0
                        || (match.test(seen) && matchRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0);
                requests.add(new Request(seen.method(), seen.path(), seen.query(), inject, seen.payloadHash(), seen.userAgent()));
                if (inject) {
                    answer(head, in, client);
                    forget(client, upstream);
                    return;
                }
                methods.add(new Sent(method, lose.test(seen) && loseRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0));
                out.write(head.raw());
                out.flush(); // a client sending Expect: 100-continue waits for the server before the body
                long length = head.chunked() ? Long.MAX_VALUE : head.contentLength();
                if (length > cutRequestAfter && cutRequestRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                    HttpFraming.copy(in, out, cutRequestAfter);
                    out.flush();
                    forget(client, upstream); // the upload breaks in the middle of its body
                    return;
                }
                if (!head.chunked() && length > 0 && damage.test(seen) && damageRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                    long middle = length / 2;
                    if (!HttpFraming.copy(in, out, middle)) throw new IOException("connection closed inside a body");
                    int b = in.read();
                    if (b < 0) throw new IOException("connection closed inside a body");
                    out.write(b ^ 0x01);
                    if (!HttpFraming.copy(in, out, length - middle - 1)) throw new IOException("connection closed inside a body");
                } else {
                    HttpFraming.copyBody(head, in, out);
                }
                out.flush();
            }
            upstream.shutdownOutput(); // the client is done; let the last response finish
        } catch (IOException | RuntimeException e) {
            forget(client, upstream);
        }
    }

    /** The injected failure: drain the body (unless the client waits for 100-continue), answer, close. */
    private void answer(HttpFraming.Head head, InputStream in, Socket client) throws IOException {
        String expect = head.header("Expect");
        if (expect == null || !expect.toLowerCase().contains("100-continue")) {
            HttpFraming.copyBody(head, in, OutputStream.nullOutputStream());
        }
        String code = failStatus == 503 ? "SlowDown" : failStatus == 501 ? "NotImplemented" : failStatus >= 500 ? "InternalError" : "InjectedFault";
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>fault injected by FaultyProxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + failStatus + " Injected Fault\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        synchronized (client) {
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        }
    }

    private void responses(Socket client, Socket upstream, Queue<Sent> methods) {
        try {
            InputStream in = new BufferedInputStream(upstream.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            HttpFraming.Head head;
            while ((head = HttpFraming.readHead(in)) != null) {
                int status = Integer.parseInt(head.startLine().split(" ")[1]);
                if (status >= 200 && methods.peek() != null && methods.peek().lose()) {
                    methods.poll();
                    return; // the server has answered; the client's connection closes without it
                }
                synchronized (client) {
                    out.write(head.raw());
                    if (status >= 100 && status < 200) {
                        out.flush();
                        continue;
                    }
                    Sent sent = methods.poll();
                    String method = sent == null ? null : sent.method();
                    boolean noBody = "HEAD".equals(method) || status == 204 || status == 304;
                    if (!noBody) {
                        long length = head.contentLength();
                        if (!head.chunked() && length > cutAfter && cutRemaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
                            HttpFraming.copy(in, out, cutAfter);
                            out.flush();
                            return; // closes both sockets mid-body
                        }
                        if (!head.chunked() && length < 0) {
                            in.transferTo(out); // body until the server closes
                        } else if (!head.chunked() && throttle > 0) {
                            copySlowly(in, out, length);
                        } else {
                            HttpFraming.copyBody(head, in, out);
                        }
                    }
                    out.flush();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a closed connection ends this pump
        } finally {
            forget(client, upstream);
        }
    }

    /** Copies {@code n} bytes in 64 KiB steps, sleeping after each as long as it takes at the throttle's rate. */
    private void copySlowly(InputStream in, OutputStream out, long n) throws IOException {
        while (n > 0) {
            long step = Math.min(n, 64 * 1024);
            if (!HttpFraming.copy(in, out, step)) throw new IOException("connection closed inside a body");
            out.flush();
            n -= step;
            long rate = throttle;
            if (rate <= 0) continue;
            try {
                Thread.sleep(step * 1000 / rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private void forget(Socket client, Socket upstream) {
        quietly(client);
        quietly(upstream);
        sockets.remove(client);
        sockets.remove(upstream);
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
