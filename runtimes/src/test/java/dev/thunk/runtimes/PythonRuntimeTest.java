package dev.thunk.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thunk.runtimes.FakeRuntimeApi.Kind;
import dev.thunk.runtimes.FakeRuntimeApi.Post;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.thunk.runtimes.ChildRuntime.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PythonRuntimeTest extends RuntimeClientTest {

    @Override
    List<String> clientCommand() {
        // -Dthunk.python=/path/to/python3.X runs the suite against another interpreter.
        Path preferred = Path.of(System.getProperty("thunk.python", "/usr/bin/python3"));
        Optional<Path> found = Files.isExecutable(preferred) ? Optional.of(preferred) : ChildRuntime.onPath("python3");
        assumeTrue(found.isPresent(), "python3 is not installed");
        ChildRuntime.extract("/dev/thunk/runtimes/python/thunk_runtime.py", runtimeDir);
        Path script = ChildRuntime.extract("/dev/thunk/runtimes/python/bootstrap.py", runtimeDir);
        return ChildRuntime.command(found.get().toString(), "-S", "-u", script.toString());
    }

    @Test
    void echoesEventsOneAfterAnotherInOneProcess() throws IOException {
        write("app.py", "def handler(event, context):\n    return event\n");
        start("app.handler");
        api.enqueue("req-1", "{\"a\":1,\"b\":[true,null,\"x\"],\"u\":\"\\u00e9\"}");
        Post first = awaitPost();
        assertEquals(Kind.RESPONSE, first.kind(), runtime.log());
        assertEquals("req-1", first.requestId());
        assertEquals(json("{\"a\":1,\"b\":[true,null,\"x\"],\"u\":\"\u00e9\"}"), json(first.body()));

        api.enqueue("req-2", "\"just a string\"");
        Post second = awaitPost();
        assertEquals("req-2", second.requestId());
        assertEquals("\"just a string\"", second.body());
        assertTrue(runtime.isAlive());
    }

    @Test
    void contextCarriesTheInvocationAndEnvironment() throws IOException {
        write("app.py", """
                import os
                def handler(event, context):
                    return {
                        "function_name": context.function_name,
                        "function_version": context.function_version,
                        "invoked_function_arn": context.invoked_function_arn,
                        "memory_limit_in_mb": context.memory_limit_in_mb,
                        "aws_request_id": context.aws_request_id,
                        "log_group_name": context.log_group_name,
                        "log_stream_name": context.log_stream_name,
                        "remaining_positive": context.get_remaining_time_in_millis() > 0,
                        "identity_id": context.identity.cognito_identity_id,
                        "custom": context.client_context.custom,
                        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
                        "my_var": os.environ.get("MY_VAR"),
                        "cwd": os.getcwd(),
                    }
                """);
        start("app.handler");
        FakeRuntimeApi.Invocation invocation = enqueueWithClientContextAndIdentity("req-ctx");

        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), runtime.log());
        JsonNode body = json(post.body());
        assertEquals("fn", body.get("function_name").asText());
        assertEquals("$LATEST", body.get("function_version").asText());
        assertEquals(invocation.headers().get("Lambda-Runtime-Invoked-Function-Arn"),
                body.get("invoked_function_arn").asText());
        assertEquals("128", body.get("memory_limit_in_mb").asText());
        assertEquals("req-ctx", body.get("aws_request_id").asText());
        assertEquals("/aws/lambda/fn", body.get("log_group_name").asText());
        assertEquals("2025/01/01/[$LATEST]0123456789abcdef", body.get("log_stream_name").asText());
        assertTrue(body.get("remaining_positive").asBoolean());
        assertEquals("id-1", body.get("identity_id").asText());
        assertEquals("v", body.get("custom").get("k").asText());
        assertEquals(invocation.headers().get("Lambda-Runtime-Trace-Id"), body.get("trace").asText());
        assertEquals("my value", body.get("my_var").asText());
        assertEquals(taskRoot.toRealPath().toString(), Path.of(body.get("cwd").asText()).toRealPath().toString());
    }

    @Test
    void handlerExceptionIsReportedAndTheRuntimeCarriesOn() throws IOException {
        write("app.py", """
                def fail(message):
                    raise ValueError(message)

                def handler(event, context):
                    if event.get("fail"):
                        fail("boom")
                    return "fine"
                """);
        start("app.handler");
        api.enqueue("req-err", "{\"fail\":true}");
        Post post = awaitPost();
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        assertEquals("req-err", post.requestId());
        assertEquals(Optional.of("ValueError"), post.errorType());
        JsonNode error = json(post.body());
        assertEquals("ValueError", error.get("errorType").asText());
        assertEquals("boom", error.get("errorMessage").asText());
        assertEquals("req-err", error.get("requestId").asText());
        JsonNode trace = error.get("stackTrace");
        assertEquals(2, trace.size(), trace.toString());
        assertTrue(trace.get(0).asText().contains("app.py\", line 6, in handler"), trace.toString());
        assertTrue(trace.get(1).asText().contains("raise ValueError(message)"), trace.toString());
        runtime.awaitLog("[ERROR] ValueError: boom\rTraceback (most recent call last):", WAIT);

        api.enqueue("req-ok", "{}");
        Post next = awaitPost();
        assertEquals(Kind.RESPONSE, next.kind());
        assertEquals("\"fine\"", next.body());
    }

    @Test
    void importErrorFailsInit() throws IOException {
        start("nomod.handler");
        Post post = awaitInitErrorAndExit();
        assertEquals(Optional.of("Runtime.ImportModuleError"), post.errorType());
        JsonNode error = json(post.body());
        assertEquals("Runtime.ImportModuleError", error.get("errorType").asText());
        assertEquals("Unable to import module 'nomod': No module named 'nomod'", error.get("errorMessage").asText());
    }

    @Test
    void importErrorInsideUserCodeNamesTheMissingDependency() throws IOException {
        write("app.py", "import requests_not_installed\ndef handler(e, c):\n    return 1\n");
        start("app.handler");
        JsonNode error = json(awaitInitErrorAndExit().body());
        assertEquals("Runtime.ImportModuleError", error.get("errorType").asText());
        assertEquals("Unable to import module 'app': No module named 'requests_not_installed'",
                error.get("errorMessage").asText());
    }

    @Test
    void missingHandlerFailsInit() throws IOException {
        write("app.py", "def handler(event, context):\n    return 1\n");
        start("app.nothere");
        JsonNode error = json(awaitInitErrorAndExit().body());
        assertEquals("Runtime.HandlerNotFound", error.get("errorType").asText());
        assertEquals("Handler 'nothere' missing on module 'app'", error.get("errorMessage").asText());
    }

    @Test
    void malformedHandlerFailsInit() throws IOException {
        start("app");
        JsonNode error = json(awaitInitErrorAndExit().body());
        assertEquals("Runtime.MalformedHandlerName", error.get("errorType").asText());
        assertEquals("Bad handler 'app': not enough values to unpack (expected 2, got 1)",
                error.get("errorMessage").asText());
    }

    @Test
    void syntaxErrorFailsInit() throws IOException {
        write("bad.py", "def handler(event, context)\n    return 1\n");
        start("bad.handler");
        JsonNode error = json(awaitInitErrorAndExit().body());
        assertEquals("Runtime.UserCodeSyntaxError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().startsWith("Syntax error in module 'bad': "), error.toString());
        assertTrue(error.get("stackTrace").get(0).asText().contains("bad.py"), error.toString());
    }

    @Test
    void exceptionDuringImportFailsInitWithItsOwnType() throws IOException {
        write("app.py", "raise RuntimeError('no config')\n");
        start("app.handler");
        JsonNode error = json(awaitInitErrorAndExit().body());
        assertEquals("RuntimeError", error.get("errorType").asText());
        assertEquals("no config", error.get("errorMessage").asText());
    }

    @Test
    void noneResultIsJsonNull() throws IOException {
        write("app.py", "def handler(event, context):\n    pass\n");
        start("app.handler");
        api.enqueue("req-none", "{}");
        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), runtime.log());
        assertEquals("null", post.body());
    }

    @Test
    void unserialisableResultIsAMarshalError() throws IOException {
        write("app.py", "def handler(event, context):\n    return {1, 2}\n");
        start("app.handler");
        api.enqueue("req-set", "{}");
        Post post = awaitPost();
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        JsonNode error = json(post.body());
        assertEquals("Runtime.MarshalError", error.get("errorType").asText());
        assertEquals("Unable to marshal response: Object of type set is not JSON serializable",
                error.get("errorMessage").asText());
    }

    @Test
    void handlerInASubdirectoryWithPathSeparators() throws IOException {
        write("src/handlers/api.py", "def handle(event, context):\n    return {'from': __name__}\n");
        start("src/handlers/api.handle");
        api.enqueue("req-sub", "{}");
        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), runtime.log());
        assertEquals("src.handlers.api", json(post.body()).get("from").asText());
    }

    @Test
    void layerModulesUnderOptPythonAreImportable() throws IOException {
        Files.createDirectories(optRoot.resolve("python"));
        Files.writeString(optRoot.resolve("python/layerlib.py"), "VALUE = 'from layer'\n");
        write("app.py", "import layerlib\ndef handler(event, context):\n    return layerlib.VALUE\n");
        start("app.handler");
        api.enqueue("req-layer", "{}");
        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), runtime.log());
        assertEquals("\"from layer\"", post.body());
    }

    @Test
    void loggingAndPrintReachTheLogWithTheRequestId() throws IOException {
        write("app.py", """
                import logging
                logger = logging.getLogger()
                logger.setLevel(logging.INFO)
                def handler(event, context):
                    logger.info("hello %s", "logger")
                    print("hello print")
                    return 1
                """);
        start("app.handler");
        api.enqueue("req-log", "{}");
        assertEquals(Kind.RESPONSE, awaitPost().kind(), runtime.log());
        runtime.awaitLog("\treq-log\thello logger\n", WAIT);
        runtime.awaitLog("hello print\n", WAIT);
        assertTrue(runtime.log().contains("[INFO]\t"), runtime.log());
    }

    /**
     * Each invocation's trace id replaces the last one in os.environ. Through setenv that leaks every replaced value
     * (about 140 bytes, 42 MB per 300,000 here); the runtime's own setter must not.
     */
    @Test
    void settingTheTraceIdDoesNotLeakMemory() throws IOException {
        write("app.py", """
                import os, sys
                def rss_kb():
                    with open("/proc/self/status") as status:
                        return int(status.read().split("VmRSS:")[1].split()[0])
                def handler(event, context):
                    runtime = sys.modules["thunk_runtime"]
                    before = rss_kb()
                    for i in range(300000):
                        runtime._set_trace_id("Root=1-5759e988-bd862e3fe1be46a9%016d;Parent=53995c3f42cd8ad8;Sampled=1" % i)
                    grown = rss_kb() - before
                    runtime._set_trace_id(None)
                    return {"grownKb": grown, "gone": "_X_AMZN_TRACE_ID" not in os.environ}
                """);
        start("app.handler");
        api.enqueue("req-trace", "{}");
        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), post.body() + "\n" + runtime.log());
        JsonNode body = json(post.body());
        assertTrue(body.get("grownKb").asInt() < 10_000, post.body());
        assertTrue(body.get("gone").asBoolean(), post.body());
    }

    @Test
    void oversizedResponseIsLoggedAndTheRuntimeCarriesOn() throws IOException {
        write("app.py", "def handler(event, context):\n    return 'x' * event['n']\n");
        api.responseLimit(1000);
        start("app.handler");
        api.enqueue("req-big", "{\"n\":5000}");
        Post big = awaitPost();
        assertEquals(Kind.RESPONSE, big.kind());
        assertTrue(big.body().startsWith("<too large"), big.body());
        runtime.awaitLog("RequestEntityTooLarge", WAIT);

        api.enqueue("req-small", "{\"n\":3}");
        Post small = awaitPost();
        assertEquals("req-small", small.requestId());
        assertEquals("\"xxx\"", small.body());
    }

    /**
     * The outcome and the next GET /next share a write; a server that closes the connection after answering the
     * outcome loses the GET, which the runtime must send again on a new connection.
     */
    @Test
    void aServerClosingAfterEachAnswerIsFollowed() throws IOException {
        api.closeAfterEachAnswer();
        answersThreeEventsInTurn("req-close-");
    }

    /** A function answering each event's {@code n}, given three events one after the other. */
    private void answersThreeEventsInTurn(String requestIdPrefix) throws IOException {
        write("app.py", "def handler(event, context):\n    return event['n']\n");
        start("app.handler");
        for (int n = 1; n <= 3; n++) {
            api.enqueue(requestIdPrefix + n, "{\"n\":" + n + "}");
            Post post = awaitPost();
            assertEquals(requestIdPrefix + n, post.requestId(), runtime.log());
            assertEquals(Integer.toString(n), post.body(), runtime.log());
        }
    }

    /**
     * While the outcome's answer and the next event are both awaited, the client asks to be woken only once more
     * than the outcome's answer has arrived; the rest of an event that comes in small pieces must still be read.
     */
    @Test
    void anEventArrivingInSmallPiecesIsReadWhole() throws IOException {
        api.trickleEvents();
        answersThreeEventsInTurn("req-piece-");
        // A client stuck on a rest shorter than its mark would only go on once the server gave up on the
        // connection, and then on a new one.
        assertEquals(1, api.connections(), runtime.log());
    }

    /**
     * The client's wake-up mark is learnt from the server's answers. A server whose answer to an outcome is short (a
     * 202 of 45 bytes) and which then refuses GET /next with a short answer gets both read: the client must not wait
     * for bytes that never come.
     */
    @Test
    void shortAnswersAreReadWithoutWaitingForMore() throws Exception {
        write("app.py", "def handler(event, context):\n    return 1\n");
        byte[] accepted = "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            start("app.handler", Map.of("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + server.getLocalPort()));
            try (Socket connection = server.accept()) {
                connection.setSoTimeout((int) WAIT.toMillis());
                InputStream in = new BufferedInputStream(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                assertTrue(readRequest(in).startsWith("GET "));
                out.write(event("req-1"));
                for (String id : new String[] {"req-1", "req-2"}) {
                    assertTrue(readRequest(in).startsWith("POST /2018-06-01/runtime/invocation/" + id + "/response"));
                    assertTrue(readRequest(in).startsWith("GET "));
                    out.write(accepted);
                    out.flush();
                    Thread.sleep(100); // the 202 waits in the client's socket on its own
                    if (id.equals("req-1")) {
                        out.write(event("req-2"));
                    } else {
                        out.write("HTTP/1.1 500 X\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
                assertEquals(1, runtime.awaitExit(WAIT), runtime.log());
                assertTrue(runtime.log().contains("GET /next answered 500"), runtime.log());
            }
        }
    }

    private static byte[] event(String requestId) {
        return ("HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: " + requestId + "\r\nLambda-Runtime-Deadline-Ms: "
                + (System.currentTimeMillis() + 60_000) + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one HTTP request (head and Content-Length body); returns its request line. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void exitsWhenTheRuntimeApiRefusesConnections() throws IOException {
        write("app.py", "def handler(event, context):\n    return 1\n");
        api.close();
        start("app.handler");
        assertNotEquals(0, runtime.awaitExit(WAIT));
        assertFalse(runtime.isAlive());
    }
}
