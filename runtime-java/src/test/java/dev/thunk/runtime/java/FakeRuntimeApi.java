package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Runtime API on a free loopback port: hands out queued events on {@code /next} and records every answer the
 * runtime posts. Waiting is always on a queue with a deadline, never a sleep.
 */
final class FakeRuntimeApi implements AutoCloseable {

    static final long WAIT_SECONDS = 60;

    /** An event to hand out; {@code chunked} sends the body with chunked transfer encoding. */
    record Event(String requestId, byte[] body, Map<String, String> headers, boolean chunked) {
        static Event json(String requestId, String body) {
            return new Event(requestId, body.getBytes(StandardCharsets.UTF_8), Map.of(), false);
        }
    }

    /** One answer the runtime posted. {@code kind} is response, error or init-error; {@code receivedNanos} is
     *  {@link System#nanoTime()} on arrival. */
    record Post(String kind, String requestId, byte[] body, Map<String, String> headers, long receivedNanos) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(text());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private volatile long firstNextNanos;

    FakeRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.start();
    }

    /** The value for AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void enqueue(Event event) {
        events.add(event);
    }

    Post awaitPost() throws InterruptedException {
        Post post = posts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(post, "the runtime posted nothing within " + WAIT_SECONDS + " s");
        return post;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/invocation/next")) {
                next(exchange);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.nanoTime();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(v.size() - 1)));
            String rest = path.substring("/2018-06-01/runtime/".length());
            if (rest.equals("init/error")) {
                posts.add(new Post("init-error", null, body, headers, now));
            } else if (rest.startsWith("invocation/") && rest.endsWith("/response")) {
                posts.add(new Post("response", between(rest, "/response"), body, headers, now));
            } else if (rest.startsWith("invocation/") && rest.endsWith("/error")) {
                posts.add(new Post("error", between(rest, "/error"), body, headers, now));
            } else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private static String between(String rest, String suffix) {
        return rest.substring("invocation/".length(), rest.length() - suffix.length());
    }

    /** {@link System#nanoTime()} when the first {@code /next} arrived, 0 before; for the cold-start bench. */
    long firstNextNanos() {
        return firstNextNanos;
    }

    private void next(HttpExchange exchange) throws IOException {
        if (firstNextNanos == 0) {
            firstNextNanos = System.nanoTime();
        }
        Event event;
        try {
            event = events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(500, -1);
            return;
        }
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", event.requestId());
        h.set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 60_000));
        h.set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:fn");
        h.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0");
        event.headers().forEach(h::set);
        byte[] body = event.body();
        exchange.sendResponseHeaders(200, event.chunked() ? 0 : (body.length == 0 ? -1 : body.length));
        try (OutputStream out = exchange.getResponseBody()) {
            if (event.chunked()) {
                // Several writes, so the body really arrives as several chunks.
                int step = Math.max(1, body.length / 3);
                for (int i = 0; i < body.length; i += step) {
                    out.write(body, i, Math.min(step, body.length - i));
                    out.flush();
                }
            } else {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
