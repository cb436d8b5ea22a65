package dev.thunk.cli;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogsCommandTest {
    private static final String ONE = "2026/11/22/[$LATEST]aaa111";
    private static final String TWO = "2026/11/22/[$LATEST]bbb222";

    private final FakeServer server = FakeServer.start();
    private final TestSession session = new TestSession();

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static String record(String stream, String message) {
        return ThunkClient.JSON.createObjectNode().put("timestamp", 1).put("logStreamName", stream)
                .put("message", message) + "\n";
    }

    private void answer(String ndjson) {
        server.on("GET", "/thunk/logs/([^/]+)", (ex, m, body) ->
                FakeServer.reply(ex, 200, "application/x-ndjson", ndjson, java.util.Map.of()));
    }

    @Test
    void printsTheMessagesOfOneStreamAsTheyAre() {
        answer(record(ONE, "START RequestId: r1 Version: $LATEST\n") + record(ONE, "hello\n")
                + record(ONE, "END RequestId: r1\n"));

        assertEquals(0, session.run("logs", "hello", "--endpoint", server.endpoint()));

        assertEquals("START RequestId: r1 Version: $LATEST\nhello\nEND RequestId: r1\n", session.out());
        FakeServer.Recorded request = server.requests.getFirst();
        assertEquals("/thunk/logs/hello", request.path());
        assertEquals("start=0&follow=false", request.query());
    }

    @Test
    void prefixesTheEnvironmentIdWhenThereAreSeveralStreams() {
        answer(record(ONE, "first") + record(TWO, "second") + "\n" + record(ONE, "third"));

        assertEquals(0, session.run("logs", "hello", "--since", "10m", "--endpoint", server.endpoint()));

        assertEquals("[aaa111] first\n[bbb222] second\n[aaa111] third\n", session.out());
        long tenMinutesAgo = TestSession.NOW.toEpochMilli() - Duration.ofMinutes(10).toMillis();
        assertEquals("start=" + tenMinutesAgo + "&follow=false", server.requests.getFirst().query());
    }

    @Test
    void followPrintsLinesAsTheyArrive() throws Exception {
        CountDownLatch firstPrinted = new CountDownLatch(1);
        server.on("GET", "/thunk/logs/([^/]+)", (ex, m, body) -> stream(ex, firstPrinted));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                printed.write(b);
                if (b == '\n') {
                    firstPrinted.countDown();
                }
            }
        }, true, StandardCharsets.UTF_8);

        assertEquals(0, session.out(out).run("logs", "hello", "-f", "--endpoint", server.endpoint()),
                session.err());

        // The first line had to be printed before the server sent the second: it arrived as it was written.
        // Prefixes start once a second stream appears.
        assertEquals("one\n[bbb222] two\n[aaa111] three\n", printed.toString(StandardCharsets.UTF_8));
        assertEquals("start=0&follow=true", server.requests.getFirst().query());
    }

    private static void stream(HttpExchange ex, CountDownLatch firstPrinted) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream body = ex.getResponseBody()) {
            body.write(record(ONE, "one\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
            try {
                if (!firstPrinted.await(10, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            body.write((record(TWO, "two") + record(ONE, "three")).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofSeconds(90), LogsCommand.parseDuration("90s"));
        assertEquals(Duration.ofMinutes(10), LogsCommand.parseDuration("10m"));
        assertEquals(Duration.ofHours(2), LogsCommand.parseDuration("2h"));
        assertEquals(Duration.ofDays(1), LogsCommand.parseDuration("1d"));
        assertEquals(Duration.ofMillis(500), LogsCommand.parseDuration("500ms"));
        for (String bad : List.of("10", "m", "-1m", "1w")) {
            CliException e = assertThrows(CliException.class, () -> LogsCommand.parseDuration(bad));
            assertTrue(e.getMessage().startsWith("--since takes a duration like 30s"), e.getMessage());
        }
        assertEquals("abc", LogsCommand.environmentId("2026/11/22/[$LATEST]abc"));
    }
}
