package dev.thunk.runtimes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Runtime API for one execution environment, on a free loopback port: serves queued events to
 * {@code GET /next} (a real long poll) and records every {@code /response}, {@code /error} and {@code /init/error}
 * post. Responses over {@link #responseLimit(int)} bytes are answered 413 like the real server.
 */
final class FakeRuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";

    enum Kind { RESPONSE, ERROR, INIT_ERROR }

    /** One post made by the runtime client. {@code errorType} is the Lambda-Runtime-Function-Error-Type header. */
    record Post(Kind kind, String requestId, String body, Optional<String> errorType) {
    }

    /** An event to hand out, with the headers that go with it. */
    record Invocation(String requestId, String body, Map<String, String> headers) {
        static Invocation of(String requestId, String body) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Lambda-Runtime-Aws-Request-Id", requestId);
            headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 300_000));
            headers.put("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:000000000000:function:fn:live");
            headers.put("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
            return new Invocation(requestId, body, headers);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Invocation> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final AtomicInteger nextCalls = new AtomicInteger();
    private final java.util.Set<InetSocketAddress> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int responseLimit = 6_291_556;
    private volatile boolean closeAfterEachAnswer;
    private volatile boolean trickleEvents;
    private volatile boolean closed;

    FakeRuntimeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** The value for AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void responseLimit(int bytes) {
        responseLimit = bytes;
    }

    /** Answers with {@code Connection: close} and closes, as a server may do with any kept-alive connection. */
    void closeAfterEachAnswer() {
        closeAfterEachAnswer = true;
    }

    /**
     * Sends each event's answer in three writes, 50 ms apart: the head, then the body in two halves. A client that
     * waits for a number of bytes must still read a rest shorter than that.
     */
    void trickleEvents() {
        trickleEvents = true;
    }

    void enqueue(Invocation invocation) {
        events.add(invocation);
    }

    void enqueue(String requestId, String body) {
        enqueue(Invocation.of(requestId, body));
    }

    int nextCalls() {
        return nextCalls.get();
    }

    /** How many connections the runtime has made. */
    int connections() {
        return clients.size();
    }

    /** The next post made by the runtime, waiting for it up to {@code timeout}. */
    Post awaitPost(Duration timeout) {
        try {
            Post post = posts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (post == null) {
                throw new AssertionError("no post from the runtime within " + timeout + "; GET /next calls="
                        + nextCalls.get() + ", queued events=" + events.size());
            }
            return post;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a post", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clients.add(exchange.getRemoteAddress());
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                nextInvocation(exchange);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            Optional<String> errorType = Optional.ofNullable(
                    exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
            if (method.equals("POST") && path.equals("init/error")) {
                posts.add(new Post(Kind.INIT_ERROR, "", text, errorType));
                answer(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                String id = path.substring("invocation/".length(), path.length() - "/response".length());
                if (body.length > responseLimit) {
                    posts.add(new Post(Kind.RESPONSE, id, "<too large: " + body.length + " bytes>", errorType));
                    answer(exchange, 413, "{\"errorMessage\":\"Exceeded maximum allowed payload size ("
                            + responseLimit + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
                } else {
                    posts.add(new Post(Kind.RESPONSE, id, text, errorType));
                    answer(exchange, 202, "{\"status\":\"OK\"}");
                }
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                String id = path.substring("invocation/".length(), path.length() - "/error".length());
                posts.add(new Post(Kind.ERROR, id, text, errorType));
                answer(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                answer(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + method + " " + path + "\"}");
            }
        }
    }

    private void nextInvocation(HttpExchange exchange) throws IOException {
        nextCalls.incrementAndGet();
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = events.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            return; // shutting down: the exchange is closed without an answer
        }
        invocation.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (trickleEvents) {
            trickle(exchange, invocation.body().getBytes(StandardCharsets.UTF_8));
        } else {
            answer(exchange, 200, invocation.body());
        }
    }

    private static void trickle(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        var out = exchange.getResponseBody();
        int half = body.length / 2;
        try {
            out.flush();
            Thread.sleep(50);
            out.write(body, 0, half);
            out.flush();
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.write(body, half, body.length - half);
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (closeAfterEachAnswer) {
            exchange.getResponseHeaders().add("Connection", "close");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
