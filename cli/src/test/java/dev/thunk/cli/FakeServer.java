package dev.thunk.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A tiny HTTP server on a free loopback port for the commands to talk to; records every request. */
final class FakeServer implements AutoCloseable {
    interface Handler {
        void handle(HttpExchange exchange, Matcher path, byte[] body) throws IOException;
    }

    record Recorded(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    static FakeServer start() {
        try {
            return new FakeServer();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    FakeServer on(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            for (Route route : routes) {
                Matcher m = route.path().matcher(path);
                if (route.method().equals(exchange.getRequestMethod()) && m.matches()) {
                    route.handler().handle(exchange, m, body);
                    return;
                }
            }
            reply(exchange, 404, "text/plain", "no route for " + path, Map.of());
        }
    }

    static void reply(HttpExchange exchange, int status, String contentType, String body,
                      Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void awsError(HttpExchange exchange, int status, String type, String messageKey, String message)
            throws IOException {
        reply(exchange, status, "application/json",
                ThunkClient.JSON.createObjectNode().put("Type", "User").put(messageKey, message).toString(),
                Map.of("x-amzn-ErrorType", type));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
