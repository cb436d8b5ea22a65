package dev.thunk.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class InvokeCommandTest {
    private final FakeServer server = FakeServer.start();
    private final TestSession session = new TestSession();

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** Echoes the payload back as {"got": payload}, or fails when it asks to. */
    private void echo() {
        server.on("POST", "/2015-03-31/functions/([^/]+)/invocations", (ex, m, body) -> {
            String payload = new String(body, StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            headers.put("X-Amz-Executed-Version", "$LATEST");
            if ("Tail".equals(ex.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
                headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(
                        "START RequestId: 1\nEND RequestId: 1\n".getBytes(StandardCharsets.UTF_8)));
            }
            if (payload.contains("fail")) {
                headers.put("X-Amz-Function-Error", "Unhandled");
                FakeServer.reply(ex, 200, "application/json",
                        "{\"errorMessage\":\"boom\",\"errorType\":\"Exception\"}", headers);
                return;
            }
            FakeServer.reply(ex, 200, "application/json", "{\"got\":" + payload + "}", headers);
        });
    }

    @Test
    void printsTheResponsePayload() {
        echo();
        assertEquals(0, session.run("invoke", "hello", "{\"name\":\"Ada\"}", "--endpoint", server.endpoint()));
        assertEquals("{\"got\":{\"name\":\"Ada\"}}\n", session.out());
        assertEquals("", session.err());
        FakeServer.Recorded request = server.requests.getFirst();
        assertEquals("/2015-03-31/functions/hello/invocations", request.path());
        assertEquals("RequestResponse", request.header("X-Amz-Invocation-Type"));
        assertNull(request.header("X-Amz-Log-Type"));
    }

    @Test
    void sendsAnEmptyObjectByDefault() {
        echo();
        assertEquals(0, session.run("invoke", "hello", "--endpoint", server.endpoint()));
        assertEquals("{\"got\":{}}\n", session.out());
    }

    @Test
    void readsThePayloadFromAFileOrStdin(@TempDir Path dir) throws IOException {
        echo();
        Path file = Files.writeString(dir.resolve("event.json"), "{\"from\":\"file\"}");
        assertEquals(0, session.run("invoke", "hello", "@" + file, "--endpoint", server.endpoint()));
        TestSession piped = new TestSession().stdin("{\"from\":\"stdin\"}");
        assertEquals(0, piped.run("invoke", "hello", "-", "--endpoint", server.endpoint()));
        assertEquals("{\"got\":{\"from\":\"file\"}}\n", session.out());
        assertEquals("{\"got\":{\"from\":\"stdin\"}}\n", piped.out());
    }

    @Test
    void aFunctionErrorGoesToStderrWithExitCodeOne() {
        echo();
        assertEquals(1, session.run("invoke", "hello", "\"fail\"", "--endpoint", server.endpoint()));
        assertEquals("", session.out());
        assertEquals("{\"errorMessage\":\"boom\",\"errorType\":\"Exception\"}\n", session.err());
    }

    @Test
    void logPrintsTheDecodedTailToStderr() {
        echo();
        assertEquals(0, session.run("invoke", "hello", "--log", "--endpoint", server.endpoint()));
        assertEquals("Tail", server.requests.getFirst().header("X-Amz-Log-Type"));
        assertEquals("{\"got\":{}}\n", session.out());
        assertEquals("START RequestId: 1\nEND RequestId: 1\n", session.err());
    }

    @Test
    void namesAreEncodedIntoThePath() {
        echo();
        assertEquals(0, session.run("invoke", "arn:aws:lambda:us-east-1:000000000000:function:hello",
                "--endpoint", server.endpoint()));
        assertEquals("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Ahello"
                + "/invocations", server.requests.getFirst().path());
    }
}
