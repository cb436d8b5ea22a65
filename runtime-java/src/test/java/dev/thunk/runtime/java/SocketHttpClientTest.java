package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        server.createContext("/closing", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.createContext("/next", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            boolean postedFirst;
            try {
                // Answered only once the client has handed over the POST's answer: proves it does not wait for
                // both answers first.
                postedFirst = posted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                postedFirst = false;
            }
            byte[] body = (postedFirst ? "event" : "the POST's answer was held back").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/late-next", exchange -> {
            try {
                Thread.sleep(LATE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "late event".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** How late /late-next answers: far beyond the default spin window, far within the long one below. */
    private static final long LATE_MILLIS = 50;

    private final CountDownLatch posted = new CountDownLatch(1);

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

    @Test
    void postThenGetPipelinesBothOnOneConnectionAndHandsOverThePostsAnswerFirst() throws Exception {
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", server.getAddress().getPort())) {
            List<HttpResponse> postAnswers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse next = client.postThenGet("/echo", null, "done".getBytes(StandardCharsets.UTF_8), 4,
                        "/next", answer -> {
                            postAnswers.add(answer);
                            posted.countDown();
                        });
                assertEquals(200, next.status());
                assertEquals("event", new String(next.body(), StandardCharsets.UTF_8));
            }
            assertEquals(3, postAnswers.size());
            assertEquals(202, postAnswers.get(0).status());
            assertEquals("done", new String(postAnswers.get(0).body(), StandardCharsets.UTF_8));
        }
        assertEquals(1, clientPorts.size(), "requests did not share one connection: " + clientPorts);
    }

    /**
     * An event later than the spin window is read by a blocking read once the window has passed, and the waits that
     * follow block at once; they still read every answer.
     */
    @Test
    void aLateEventIsReadAfterTheSpinAndTheWaitsAfterItBlock() throws Exception {
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", server.getAddress().getPort())) {
            assertTrue(client.spinsForEvents(), "a new client spins for its first event");
            for (int i = 0; i < 2; i++) {
                HttpResponse next = client.postThenGet("/echo", null, new byte[] {1}, 1, "/late-next", answer -> { });
                assertEquals("late event", new String(next.body(), StandardCharsets.UTF_8));
                assertFalse(client.spinsForEvents(), "an event " + LATE_MILLIS + " ms late did not end the spinning");
            }
            assertEquals("late event", new String(client.get("/late-next").body(), StandardCharsets.UTF_8));
        }
    }

    /** An event within the spin window is read once the spin has seen it, and the spinning goes on. */
    @Test
    void anEventWithinTheSpinWindowIsReadBySpinning() throws Exception {
        long window = TimeUnit.SECONDS.toNanos(30);
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", server.getAddress().getPort(), window)) {
            for (int i = 0; i < 2; i++) {
                List<Integer> statuses = new ArrayList<>();
                HttpResponse next = client.postThenGet("/echo", null, new byte[] {1}, 1, "/late-next",
                        answer -> statuses.add(answer.status()));
                assertEquals(List.of(202), statuses);
                assertEquals("late event", new String(next.body(), StandardCharsets.UTF_8));
                assertTrue(client.spinsForEvents());
            }
        }
    }

    @Test
    void postThenGetAsksAgainWhenTheServerClosedAfterThePost() throws Exception {
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", server.getAddress().getPort())) {
            posted.countDown();
            List<Integer> statuses = new ArrayList<>();
            HttpResponse next = client.postThenGet("/closing", null, new byte[] {1}, 1, "/next",
                    answer -> statuses.add(answer.status()));
            assertEquals(List.of(202), statuses);
            assertEquals(200, next.status());
            assertEquals("event", new String(next.body(), StandardCharsets.UTF_8));
        }
        assertEquals(2, clientPorts.size(), "the lost GET was not sent again on a new connection: " + clientPorts);
    }
}
