package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketHttpClientTest {

    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] in = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            exchange.getResponseHeaders().set("X-Echo-Length", String.valueOf(in.length));
            if (path.equals("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("hello ".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    out.write("chunks".getBytes(StandardCharsets.UTF_8));
                }
            } else {
                exchange.sendResponseHeaders(202, in.length == 0 ? -1 : in.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(in);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsChunkedAndSizedBodiesOverOneKeptAliveConnection() throws Exception {
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", server.getAddress().getPort())) {
            HttpResponse chunked = client.get("/chunked");
            assertEquals(200, chunked.status());
            assertEquals("hello chunks", new String(chunked.body(), StandardCharsets.UTF_8));

            byte[] body = new byte[100_000];
            body[99_999] = 7;
            HttpResponse echoed = client.post("/echo", new String[] {"X-A", "b"}, body, body.length);
            assertEquals(202, echoed.status());
            assertEquals("100000", echoed.header("x-echo-length"));
            assertArrayEquals(body, echoed.body());

            HttpResponse empty = client.post("/echo", null, new byte[0], 0);
            assertEquals(202, empty.status());
            assertEquals(0, empty.body().length);
        }
        assertEquals(1, clientPorts.size(), "requests did not share one connection: " + clientPorts);
    }
}
