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

    /**
     * An event that arrives in the same read as the acknowledgement before it came as quickly as an event can: the
     * waits after it spin again, where a late event had stopped them.
     */
    @Test
    void anEventReadWithItsAcknowledgementTurnsTheSpinningBackOn() throws Exception {
        byte[] accepted = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] event = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevent".getBytes(StandardCharsets.US_ASCII);
        // A window no busy machine misses for the quick event, and a late event twice as late as it.
        long window = TimeUnit.MILLISECONDS.toNanos(500);
        try (java.net.ServerSocket api = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SocketHttpClient client = new SocketHttpClient("127.0.0.1", api.getLocalPort(), window)) {
            Thread runtimeApi = new Thread(() -> {
                try (java.net.Socket connection = api.accept()) {
                    java.io.InputStream in = connection.getInputStream();
                    OutputStream out = connection.getOutputStream();
                    awaitRequests(in, 2);  // POST and GET, pipelined
                    out.write(accepted);
                    out.flush();
                    Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(window));  // a late event, in a read of its own
                    out.write(event);
                    out.flush();
                    awaitRequests(in, 2);
                    byte[] both = new byte[accepted.length + event.length];  // in one write, so one read
                    System.arraycopy(accepted, 0, both, 0, accepted.length);
                    System.arraycopy(event, 0, both, accepted.length, event.length);
                    out.write(both);
                    out.flush();
                    awaitRequests(in, 2);
                } catch (java.io.IOException | InterruptedException e) {
                    // the test's assertions tell what went wrong
                }
            });
            runtimeApi.start();
            HttpResponse late = client.postThenGet("/post", null, new byte[] {1}, 1, "/next", answer -> { });
            assertEquals("event", new String(late.body(), StandardCharsets.UTF_8));
            assertFalse(client.spinsForEvents(), "a late event did not stop the spinning");
            HttpResponse quick = client.postThenGet("/post", null, new byte[] {1}, 1, "/next", answer -> { });
            assertEquals("event", new String(quick.body(), StandardCharsets.UTF_8));
            assertTrue(client.spinsForEvents(), "an event read with its acknowledgement did not restart the spinning");
            client.close();
            runtimeApi.join(10_000);
        }
    }

    /** Reads until {@code count} request heads have ended (the requests here carry at most a one-byte body). */
    private static void awaitRequests(java.io.InputStream in, int count) throws java.io.IOException {
        int seen = 0;
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (seen < count) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == end.length) {
                seen++;
                matched = 0;
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
