package dev.thunk.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyPollingTransportTest {
    private Vertx vertx;

    @AfterEach
    void close() {
        if (vertx != null) {
            vertx.close().await();
        }
    }

    private HttpServer echoServer(long pollMicros) {
        vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1))
                .withTransport(new BusyPollingTransport(pollMicros)).build();
        return vertx.createHttpServer().requestHandler(request -> request.body()
                .onSuccess(body -> request.response().end(body))).listen(0, "127.0.0.1").await();
    }

    /** Sends {@code count} keep-alive requests one after the other; returns the last body received. */
    private static String exchange(int port, int count) throws Exception {
        String last = null;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < count; i++) {
                String body = "hello " + i;
                out.write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                last = readResponseBody(in);
            }
        }
        return last;
    }

    private static String readResponseBody(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the server closed the connection");
            head.append((char) b);
        }
        int at = head.indexOf("content-length: ");
        int length = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    @Test
    void servesRequestsLikePlainNio() throws Exception {
        HttpServer server = echoServer(200);
        assertEquals("hello 499", exchange(server.actualPort(), 500));
    }

    @Test
    void pollingOffServesRequestsToo() throws Exception {
        HttpServer server = echoServer(0);
        assertEquals("hello 49", exchange(server.actualPort(), 50));
    }

    /** The loop polls only just after work: an idle loop blocks, so an idle server burns no CPU. */
    @Test
    void anIdleLoopBlocks() throws Exception {
        HttpServer server = echoServer(200);
        exchange(server.actualPort(), 100);
        Thread loop = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vert.x-eventloop-thread")).findFirst().orElseThrow();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Thread.sleep(100);
        long before = threads.getThreadCpuTime(loop.threadId());
        Thread.sleep(1000);
        long used = threads.getThreadCpuTime(loop.threadId()) - before;
        // A loop that kept polling would use about the whole second; a blocked one uses next to nothing.
        assertTrue(used < 300_000_000L, "the idle loop used " + used / 1_000_000 + " ms of CPU in one second");
    }
}
