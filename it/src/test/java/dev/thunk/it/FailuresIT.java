package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way an invocation can fail, each with AWS's error type, HTTP 200 and {@code X-Amz-Function-Error}, a REPORT
 * line, and a fresh environment afterwards where the failure ended the old one.
 */
class FailuresIT extends SharedServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();


    private static void create(String name, String runtime, String handler, byte[] zip, int timeout) {
        Functions.createActive(lambda, Invocations.function(name, runtime, handler, zip).timeout(timeout).build());
    }

    private static JsonNode error(Invocations.Result result) throws Exception {
        assertEquals(200, result.status());
        assertEquals("Unhandled", result.functionError(), result.payload());
        assertTrue(result.log().contains("REPORT RequestId: "), result.log());
        return JSON.readTree(result.payload());
    }

    @Test
    void aTimeoutKillsTheEnvironmentAndTheNextCallStartsAFreshOne() throws Exception {
        create("sleepy", "python3.12", "app.handler", Packages.python("""
                import time
                def handler(event, context):
                    if event.get("sleep"):
                        time.sleep(30)
                    return context.log_stream_name
                """), 1);
        String before = Invocations.invoke(lambda, "sleepy", "{}").payload();
        Invocations.Result timedOut = Invocations.invoke(lambda, "sleepy", "{\"sleep\":true}");
        JsonNode e = error(timedOut);
        assertEquals("Sandbox.Timedout", e.get("errorType").asText());
        assertTrue(e.get("errorMessage").asText().matches("RequestId: [0-9a-f-]{36} Error: Task timed out after 1\\.00 seconds"),
                e.get("errorMessage").asText());
        assertTrue(timedOut.log().contains("\tStatus: timeout"), timedOut.log());
        assertTrue(timedOut.log().matches("(?s).*\\n\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z [0-9a-f-]{36} "
                + "Task timed out after 1\\.00 seconds\\nEND RequestId: .*"), timedOut.log());
        // The kill is sent as the answer goes out; the processes are reaped a moment later.
        dev.thunk.testkit.Await.until("the timed-out environment's processes are gone", java.time.Duration.ofSeconds(5),
                () -> !EnvironmentProcesses.alive(ConcurrencyIT.unquoted(before)));
        String after = Invocations.invoke(lambda, "sleepy", "{}").payload();
        assertNotEquals(before, after, "a timed-out environment is never reused");
    }

    @Test
    void aRuntimeThatExitsMidInvocationIsAnExitError() throws Exception {
        create("exiter", "python3.12", "app.handler", Packages.python("""
                import os
                def handler(event, context):
                    if event.get("exit"):
                        os._exit(3)
                    return "ok"
                """), 5);
        Invocations.Result exited = Invocations.invoke(lambda, "exiter", "{\"exit\":true}");
        JsonNode e = error(exited);
        assertEquals("Runtime.ExitError", e.get("errorType").asText());
        assertTrue(e.get("errorMessage").asText().endsWith("Error: Runtime exited with error: exit status 3"),
                e.get("errorMessage").asText());
        assertTrue(exited.log().contains(e.get("errorMessage").asText() + "\nRuntime.ExitError\nEND RequestId: "),
                exited.log());
        assertEquals("\"ok\"", Invocations.invoke(lambda, "exiter", "{}").payload());
    }

    @Test
    void aRuntimeKilledByASignalSaysSo() throws Exception {
        create("signalled", "nodejs20.x", "index.handler", Packages.node("""
                exports.handler = async (event) => { if (event.kill) process.kill(process.pid, 'SIGKILL'); return 'ok'; };
                """), 5);
        JsonNode e = error(Invocations.invoke(lambda, "signalled", "{\"kill\":true}"));
        assertEquals("Runtime.ExitError", e.get("errorType").asText());
        assertTrue(e.get("errorMessage").asText().endsWith("Runtime exited with error: signal: killed"),
                e.get("errorMessage").asText());
    }

    @Test
    void aCrashBeforeTheFirstNextIsAnInitFailure() throws Exception {
        create("crash-init", "provided.al2023", "x", Packages.provided("#!/bin/sh\necho cannot start >&2\nexit 2\n"), 5);
        Invocations.Result result = Invocations.invoke(lambda, "crash-init", "{}");
        JsonNode e = error(result);
        assertEquals("Runtime.ExitError", e.get("errorType").asText());
        assertTrue(e.get("errorMessage").asText().endsWith("exit status 2"), e.get("errorMessage").asText());
    }

    /**
     * As in AWS, a custom runtime's package without a usable bootstrap is accepted and Active; each invocation
     * fails with Runtime.InvalidEntrypoint, logged, and a fixed package brings the function back.
     */
    @Test
    void aCustomRuntimeWithoutAUsableBootstrapIsActiveAndEveryInvocationSaysWhy() throws Exception {
        create("no-bootstrap", "provided.al2023", "bootstrap",
                dev.thunk.testkit.TestZip.create().executable("run.sh", "#!/bin/sh\n").bytes(), 5);
        for (int i = 0; i < 2; i++) {
            Invocations.Result result = Invocations.invoke(lambda, "no-bootstrap", "{}");
            JsonNode e = error(result);
            assertEquals("Runtime.InvalidEntrypoint", e.get("errorType").asText());
            String message = e.get("errorMessage").asText();
            assertTrue(message.matches("RequestId: [0-9a-f-]{36} Error: Couldn't find valid bootstrap\\(s\\): "
                    + "\\[/\\S+/bootstrap /\\S+/bootstrap\\]"), message);
            assertTrue(result.log().contains(message.substring(0, message.indexOf(" Error:")) + " Error: Couldn't find"),
                    result.log());
        }

        create("plain-bootstrap", "provided.al2023", "bootstrap",
                dev.thunk.testkit.TestZip.create().file("bootstrap", "#!/bin/sh\n").bytes(), 5);
        JsonNode e = error(Invocations.invoke(lambda, "plain-bootstrap", "{}"));
        assertEquals("Runtime.InvalidEntrypoint", e.get("errorType").asText());
        assertTrue(e.get("errorMessage").asText().matches(".* Error: fork/exec /\\S+/bootstrap: permission denied"),
                e.get("errorMessage").asText());

        lambda.updateFunctionCode(b -> b.functionName("plain-bootstrap")
                .zipFile(software.amazon.awssdk.core.SdkBytes.fromByteArray(Packages.provided(InvokeIT.PROVIDED_ECHO))));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("plain-bootstrap"));
        Invocations.Result fixed = Invocations.invoke(lambda, "plain-bootstrap", "{\"fixed\":true}");
        assertFalse(fixed.failed(), fixed.payload());
        assertTrue(JSON.readTree(fixed.payload()).path("event").path("fixed").asBoolean(), fixed.payload());
    }

    @Test
    void anInitErrorReportThatIsNotJsonStillEndsTheInvocation() throws Exception {
        create("init-oops", "provided.al2023", "x", Packages.provided("""
                #!/usr/bin/python3
                import os, urllib.request
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/init/error"
                urllib.request.urlopen(urllib.request.Request(api, data=b"oops, not json", method="POST"))
                """), 30);
        Invocations.Result result = Invocations.invoke(lambda, "init-oops", "{}");
        assertEquals("Unhandled", result.functionError());
        assertEquals("oops, not json", result.payload());
        assertTrue(result.log().contains("oops, not json\nRuntime.Unknown\nEND RequestId: "), result.log());
    }

    @Test
    void initErrorsReportedThroughTheRuntimeApiReachTheCaller() throws Exception {
        create("init-error", "python3.12", "app.handler", Packages.python("raise RuntimeError('no config')\n"), 5);
        JsonNode e = error(Invocations.invoke(lambda, "init-error", "{}"));
        assertTrue(e.get("errorMessage").asText().contains("no config"), e.toString());

        create("bad-module", "python3.12", "nothere.handler", Packages.python("x = 1\n"), 5);
        assertEquals("Runtime.ImportModuleError", error(Invocations.invoke(lambda, "bad-module", "{}"))
                .get("errorType").asText());

        create("bad-python-handler", "python3.12", "app.missing", Packages.python("x = 1\n"), 5);
        assertEquals("Runtime.HandlerNotFound", error(Invocations.invoke(lambda, "bad-python-handler", "{}"))
                .get("errorType").asText());

        create("bad-node-handler", "nodejs20.x", "index.missing", Packages.node("exports.other = () => 1;\n"), 5);
        assertEquals("Runtime.HandlerNotFound", error(Invocations.invoke(lambda, "bad-node-handler", "{}"))
                .get("errorType").asText());

        create("bad-java-class", "java21", "example.Missing::handleRequest", Packages.java(), 5);
        JsonNode java = error(Invocations.invoke(lambda, "bad-java-class", "{}"));
        assertEquals("java.lang.ClassNotFoundException", java.get("errorType").asText());
        assertEquals("Class not found: example.Missing", java.get("errorMessage").asText());
    }

    @Test
    void functionErrorsArePassedThroughAndTheEnvironmentStaysWarm() throws Exception {
        create("raiser", "python3.12", "app.handler", Packages.python("""
                def handler(event, context):
                    if event.get("fail"):
                        raise ValueError("bad input")
                    return context.log_stream_name
                """), 5);
        String environment = Invocations.invoke(lambda, "raiser", "{}").payload();
        JsonNode e = error(Invocations.invoke(lambda, "raiser", "{\"fail\":true}"));
        assertEquals("ValueError", e.get("errorType").asText());
        assertEquals("bad input", e.get("errorMessage").asText());
        assertTrue(e.get("stackTrace").isArray());
        assertEquals(environment, Invocations.invoke(lambda, "raiser", "{}").payload(),
                "a handled function error does not end the environment");

        create("java-fail", "java17", "dev.thunk.it.handlers.Fail::handleRequest", Packages.java(), 5);
        JsonNode java = error(Invocations.invoke(lambda, "java-fail", "{}"));
        assertEquals("java.lang.IllegalStateException", java.get("errorType").asText());
        assertEquals("broken on purpose", java.get("errorMessage").asText());
    }

    @Test
    void aResponseOverSixMegabytesIsRefused() throws Exception {
        create("too-big", "python3.12", "app.handler", Packages.python("""
                def handler(event, context):
                    return "x" * (7 * 1024 * 1024)
                """), 10);
        JsonNode e = error(Invocations.invoke(lambda, "too-big", "{}"));
        assertEquals("Function.ResponseSizeTooLarge", e.get("errorType").asText());
        assertEquals("Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                e.get("errorMessage").asText());
    }

    @Test
    void aJavaResponseOverSixMegabytesIsRefusedAndTheRuntimeGoesOn() throws Exception {
        create("too-big-java", "java21", "dev.thunk.it.handlers.Oversized", Packages.java(), 10);
        // Twice: the second is only answered if the runtime asked for more work after the refusal.
        for (int i = 0; i < 2; i++) {
            JsonNode e = error(Invocations.invoke(lambda, "too-big-java", "{}"));
            assertEquals("Function.ResponseSizeTooLarge", e.get("errorType").asText());
        }
    }
}
