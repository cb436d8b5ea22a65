package dev.thunk.runtimes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thunk.runtimes.FakeRuntimeApi.Kind;
import dev.thunk.runtimes.FakeRuntimeApi.Post;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.thunk.runtimes.ChildRuntime.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NodeRuntimeTest extends RuntimeClientTest {

    @Override
    List<String> clientCommand() {
        Optional<Path> found = ChildRuntime.onPath("node");
        assumeTrue(found.isPresent(), "node is not installed");
        Path script = ChildRuntime.extract("/dev/thunk/runtimes/node/thunk_runtime.cjs", runtimeDir);
        return ChildRuntime.command(found.get().toString(), script.toString());
    }

    private Post invoke(String requestId, String event) {
        api.enqueue(requestId, event);
        Post post = awaitPost();
        assertEquals(requestId, post.requestId(), runtime.log());
        return post;
    }

    private String respond(String requestId, String event) {
        Post post = invoke(requestId, event);
        assertEquals(Kind.RESPONSE, post.kind(), post.body() + "\n" + runtime.log());
        return post.body();
    }

    /** The init error's JSON, whose type is also in the error-type header. */
    private JsonNode awaitInitErrorJson() throws IOException {
        Post post = awaitInitErrorAndExit();
        JsonNode error = json(post.body());
        assertEquals(Optional.of(error.get("errorType").asText()), post.errorType());
        return error;
    }

    @Test
    void commonJsHandlerEchoesEventsInOneProcess() throws IOException {
        write("index.js", "exports.handler = async (event) => event;\n");
        start("index.handler");
        assertEquals(json("{\"a\":1,\"b\":[true,null,\"\u00e9\"]}"),
                json(respond("req-1", "{\"a\":1,\"b\":[true,null,\"\\u00e9\"]}")));
        assertEquals("\"second\"", respond("req-2", "\"second\""));
        assertTrue(runtime.isAlive());
    }

    @Test
    void contextCarriesTheInvocationAndEnvironment() throws IOException {
        write("index.js", """
                exports.handler = async (event, context) => ({
                  functionName: context.functionName,
                  functionVersion: context.functionVersion,
                  invokedFunctionArn: context.invokedFunctionArn,
                  memoryLimitInMB: context.memoryLimitInMB,
                  awsRequestId: context.awsRequestId,
                  logGroupName: context.logGroupName,
                  logStreamName: context.logStreamName,
                  remainingPositive: context.getRemainingTimeInMillis() > 0,
                  waits: context.callbackWaitsForEmptyEventLoop,
                  custom: context.clientContext.custom,
                  identityId: context.identity.cognitoIdentityId,
                  trace: process.env._X_AMZN_TRACE_ID,
                  myVar: process.env.MY_VAR,
                  cwd: process.cwd(),
                });
                """);
        start("index.handler");
        FakeRuntimeApi.Invocation invocation = enqueueWithClientContextAndIdentity("req-ctx");

        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), runtime.log());
        JsonNode body = json(post.body());
        assertEquals("fn", body.get("functionName").asText());
        assertEquals("$LATEST", body.get("functionVersion").asText());
        assertEquals(invocation.headers().get("Lambda-Runtime-Invoked-Function-Arn"),
                body.get("invokedFunctionArn").asText());
        assertEquals("128", body.get("memoryLimitInMB").asText());
        assertEquals("req-ctx", body.get("awsRequestId").asText());
        assertEquals("/aws/lambda/fn", body.get("logGroupName").asText());
        assertEquals("2025/01/01/[$LATEST]0123456789abcdef", body.get("logStreamName").asText());
        assertTrue(body.get("remainingPositive").asBoolean());
        assertTrue(body.get("waits").asBoolean());
        assertEquals("v", body.get("custom").get("k").asText());
        assertEquals("id-1", body.get("identityId").asText());
        assertEquals(invocation.headers().get("Lambda-Runtime-Trace-Id"), body.get("trace").asText());
        assertEquals("my value", body.get("myVar").asText());
        assertEquals(taskRoot.toRealPath().toString(), Path.of(body.get("cwd").asText()).toRealPath().toString());
    }

    @Test
    void handlerErrorIsReportedAndTheRuntimeCarriesOn() throws IOException {
        write("index.js", """
                exports.handler = async (event) => {
                  if (event.fail) throw new TypeError('boom');
                  return 'fine';
                };
                """);
        start("index.handler");
        Post post = invoke("req-err", "{\"fail\":true}");
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        assertEquals(Optional.of("TypeError"), post.errorType());
        JsonNode error = json(post.body());
        assertEquals("TypeError", error.get("errorType").asText());
        assertEquals("boom", error.get("errorMessage").asText());
        assertEquals("TypeError: boom", error.get("trace").get(0).asText());
        assertTrue(error.get("trace").get(1).asText().contains("index.js:2"), error.toString());
        runtime.awaitLog("\treq-err\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"boom\"", WAIT);

        assertEquals("\"fine\"", respond("req-ok", "{}"));
    }

    @Test
    void synchronousThrowIsReported() throws IOException {
        write("index.js", "exports.handler = (event, context, callback) => { throw new RangeError('sync'); };\n");
        start("index.handler");
        Post post = invoke("req-sync", "{}");
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        assertEquals("RangeError", json(post.body()).get("errorType").asText());
        assertEquals("sync", json(post.body()).get("errorMessage").asText());
    }

    @Test
    void importErrorFailsInit() throws IOException {
        start("missing.handler");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.ImportModuleError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().startsWith("Error: Cannot find module 'missing'"),
                error.toString());
    }

    @Test
    void missingDependencyOfTheHandlerFailsInitAsImportError() throws IOException {
        write("index.js", "const x = require('not-installed');\nexports.handler = async () => x;\n");
        start("index.handler");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.ImportModuleError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().startsWith("Error: Cannot find module 'not-installed'"),
                error.toString());
    }

    @Test
    void missingHandlerFailsInit() throws IOException {
        write("index.js", "exports.handler = async () => 1;\nexports.value = 3;\n");
        start("index.nothere");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.HandlerNotFound", error.get("errorType").asText());
        assertEquals("index.nothere is undefined or not exported", error.get("errorMessage").asText());
    }

    @Test
    void handlerThatIsNotAFunctionFailsInit() throws IOException {
        write("index.js", "exports.value = 3;\n");
        start("index.value");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.HandlerNotFound", error.get("errorType").asText());
        assertEquals("index.value is not a function", error.get("errorMessage").asText());
    }

    @Test
    void malformedHandlerFailsInit() throws IOException {
        write("index.js", "exports.handler = async () => 1;\n");
        start("index");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.MalformedHandlerName", error.get("errorType").asText());
        assertEquals("Bad handler", error.get("errorMessage").asText());
    }

    @Test
    void syntaxErrorFailsInit() throws IOException {
        write("index.js", "exports.handler = async () => {;\n");
        start("index.handler");
        JsonNode error = awaitInitErrorJson();
        assertEquals("Runtime.UserCodeSyntaxError", error.get("errorType").asText());
        assertTrue(error.get("errorMessage").asText().startsWith("SyntaxError: "), error.toString());
    }

    @Test
    void esModuleHandlerInMjsFile() throws IOException {
        write("app.mjs", """
                import { basename } from 'node:path';
                const loadedAt = await Promise.resolve('init');
                export const handler = async (event) => ({ esm: basename(import.meta.url), loadedAt, event });
                """);
        start("app.handler");
        JsonNode body = json(respond("req-esm", "{\"x\":1}"));
        assertEquals("app.mjs", body.get("esm").asText());
        assertEquals("init", body.get("loadedAt").asText());
        assertEquals(1, body.get("event").get("x").asInt());
    }

    @Test
    void esModuleHandlerInJsFileUnderTypeModulePackage() throws IOException {
        write("package.json", "{\"name\":\"fn\",\"type\":\"module\"}");
        write("lib/app.js", "export async function handler() { return typeof require; }\n");
        start("lib/app.handler");
        assertEquals("\"undefined\"", respond("req-esm-js", "{}"));
    }

    @Test
    void commonJsHandlerInCjsFileWithNestedHandlerPath() throws IOException {
        write("app.cjs", "module.exports = { handlers: { main: async () => typeof require } };\n");
        start("app.handlers.main");
        assertEquals("\"function\"", respond("req-cjs", "{}"));
    }

    /**
     * Each invocation's trace id replaces the last one in process.env. Through setenv that leaks every replaced value
     * (about 200 bytes, 100 MB per 500,000 here); the runtime keeps the id in JavaScript, visible to the handler
     * and to child processes, and gone when an event has none.
     */
    @Test
    void theTraceIdLivesInJavaScriptWithoutLeakingMemory() throws IOException {
        write("index.js", """
                const { execFileSync } = require('node:child_process');
                exports.handler = async (event) => {
                  if (event.mode === 'absent') return { present: '_X_AMZN_TRACE_ID' in process.env };
                  const seen = process.env._X_AMZN_TRACE_ID;
                  const child = execFileSync('/bin/sh', ['-c', 'echo "$_X_AMZN_TRACE_ID"']).toString().trim();
                  const before = process.memoryUsage().rss;
                  for (let i = 0; i < 500000; i++) {
                    process.env._X_AMZN_TRACE_ID = `Root=1-5759e988-bd862e3fe1be46a9${String(i).padStart(16, '0')};Sampled=1`;
                  }
                  return { seen, child, grownKb: Math.round((process.memoryUsage().rss - before) / 1024) };
                };
                """);
        start("index.handler");
        FakeRuntimeApi.Invocation traced = FakeRuntimeApi.Invocation.of("req-trace", "{}");
        api.enqueue(traced);
        Post post = awaitPost();
        assertEquals(Kind.RESPONSE, post.kind(), post.body() + "\n" + runtime.log());
        JsonNode body = json(post.body());
        String trace = traced.headers().get("Lambda-Runtime-Trace-Id");
        assertEquals(trace, body.get("seen").asText());
        assertEquals(trace, body.get("child").asText());
        // Garbage strings grow the heap by ~15 MB whatever happens; the leak alone would be ~100 MB.
        assertTrue(body.get("grownKb").asInt() < 50_000, post.body());

        FakeRuntimeApi.Invocation untraced = FakeRuntimeApi.Invocation.of("req-untraced", "{\"mode\":\"absent\"}");
        untraced.headers().remove("Lambda-Runtime-Trace-Id");
        api.enqueue(untraced);
        assertEquals("{\"present\":false}", awaitPost().body());
    }

    @Test
    void callbackStyleHandlerAnswersWhenTheEventLoopIsEmpty() throws IOException {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  setTimeout(() => {
                    callback(null, { ok: event.n });
                    setTimeout(() => {}, 20); // the answer waits for this timer too
                  }, 10);
                };
                """);
        start("index.handler");
        assertEquals("{\"ok\":1}", respond("req-cb-1", "{\"n\":1}"));
        assertEquals("{\"ok\":2}", respond("req-cb-2", "{\"n\":2}"));
    }

    @Test
    void callbackStyleErrorsAndContextMethods() throws IOException {
        write("index.js", """
                exports.handler = (event, context, callback) => {
                  if (event.mode === 'callback-error') return callback(new Error('via callback'));
                  if (event.mode === 'succeed') return context.succeed({ via: 'succeed' });
                  if (event.mode === 'fail') return context.fail(new Error('via fail'));
                  context.callbackWaitsForEmptyEventLoop = false;
                  setInterval(() => {}, 1000); // would keep the loop busy forever
                  callback(null, 'no wait');
                };
                """);
        start("index.handler");
        Post error = invoke("req-cb-err", "{\"mode\":\"callback-error\"}");
        assertEquals(Kind.ERROR, error.kind());
        assertEquals("via callback", json(error.body()).get("errorMessage").asText());
        assertEquals("{\"via\":\"succeed\"}", respond("req-succeed", "{\"mode\":\"succeed\"}"));
        Post failed = invoke("req-fail", "{\"mode\":\"fail\"}");
        assertEquals(Kind.ERROR, failed.kind());
        assertEquals("via fail", json(failed.body()).get("errorMessage").asText());
        assertEquals("\"no wait\"", respond("req-nowait", "{\"mode\":\"nowait\"}"));
    }

    @Test
    void asyncHandlerAwaitingWork() throws IOException {
        write("index.js", """
                exports.handler = async (event) => {
                  const value = await new Promise((resolve) => setTimeout(() => resolve(event.v * 2), 5));
                  return { value };
                };
                """);
        start("index.handler");
        assertEquals("{\"value\":42}", respond("req-async", "{\"v\":21}"));
    }

    @Test
    void undefinedResultsAreJsonNull() throws IOException {
        write("index.js", """
                exports.handler = (event) => {
                  if (event.async) return Promise.resolve(undefined);
                  // a synchronous handler that never calls back answers null once the event loop is empty
                };
                """);
        start("index.handler");
        assertEquals("null", respond("req-undef-async", "{\"async\":true}"));
        assertEquals("null", respond("req-undef-sync", "{}"));
    }

    @Test
    void unserialisableResultIsReportedAsAnError() throws IOException {
        write("index.js", "exports.handler = async () => { const a = {}; a.self = a; return a; };\n");
        start("index.handler");
        Post post = invoke("req-cycle", "{}");
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        assertEquals("Unable to stringify response body", json(post.body()).get("errorMessage").asText());
        assertEquals(Kind.ERROR, invoke("req-after", "{}").kind(), "the runtime carries on after a failed answer");
    }

    @Test
    void layerModulesUnderOptNodejsAreRequirable() throws IOException {
        Path lib = optRoot.resolve("nodejs/node_modules/layerlib");
        Files.createDirectories(lib);
        Files.writeString(lib.resolve("index.js"), "module.exports = 'from layer';\n");
        write("index.js", "const layerlib = require('layerlib');\nexports.handler = async () => layerlib;\n");
        start("index.handler");
        assertEquals("\"from layer\"", respond("req-layer", "{}"));
    }

    @Test
    void consoleLinesCarryTheRequestId() throws IOException {
        write("index.js", """
                console.log('during init');
                exports.handler = async () => {
                  console.log('hello', { a: 1 });
                  console.error('two\\nlines');
                  return 1;
                };
                """);
        start("index.handler");
        respond("req-log", "{}");
        runtime.awaitLog("\tundefined\tINFO\tduring init\n", WAIT);
        runtime.awaitLog("\treq-log\tINFO\thello { a: 1 }\n", WAIT);
        runtime.awaitLog("\treq-log\tERROR\ttwo\rlines\n", WAIT);
    }

    @Test
    void uncaughtExceptionFailsTheInvocationAndEndsTheProcess() throws IOException {
        write("index.js", """
                exports.handler = async () => {
                  setImmediate(() => { throw new Error('escaped'); });
                  return new Promise(() => {});
                };
                """);
        start("index.handler");
        Post post = invoke("req-uncaught", "{}");
        assertEquals(Kind.ERROR, post.kind(), runtime.log());
        assertEquals("escaped", json(post.body()).get("errorMessage").asText());
        assertEquals(129, runtime.awaitExit(WAIT));
    }

    @Test
    void oversizedResponseIsLoggedAndTheRuntimeCarriesOn() throws IOException {
        write("index.js", "exports.handler = async (event) => 'x'.repeat(event.n);\n");
        api.responseLimit(1000);
        start("index.handler");
        Post big = invoke("req-big", "{\"n\":5000}");
        assertTrue(big.body().startsWith("<too large"), big.body());
        runtime.awaitLog("RequestEntityTooLarge", WAIT);
        assertEquals("\"xxx\"", respond("req-small", "{\"n\":3}"));
    }

    /**
     * The outcome and the next GET /next share a write; a server that closes the connection after answering the
     * outcome loses the GET, which the runtime must send again on a new connection.
     */
    @Test
    void aServerClosingAfterEachAnswerIsFollowed() throws IOException {
        write("index.js", "exports.handler = async (event) => event.n;\n");
        api.closeAfterEachAnswer();
        start("index.handler");
        for (int n = 1; n <= 3; n++) {
            api.enqueue("req-close-" + n, "{\"n\":" + n + "}");
            Post post = awaitPost();
            assertEquals("req-close-" + n, post.requestId(), runtime.log());
            assertEquals(Integer.toString(n), post.body(), runtime.log());
        }
    }

    /**
     * The client's wait for a quick next event yields the CPU between polls through a WebAssembly module calling
     * WASI's sched_yield (JavaScript has no call for it). On the installed Node.js it must load, yield, and say
     * nothing: Node.js calls WASI experimental, and its warning must not reach a function's log.
     */
    @Test
    void theCpuYieldLoadsAndYieldsWithoutAWarning() throws Exception {
        List<String> command = clientCommand();
        String script = "const { cpuYield } = require(process.argv[1]);\n"
                + "const yieldCpu = cpuYield();\n"
                + "if (typeof yieldCpu !== 'function') { console.log('no yield'); process.exit(2); }\n"
                + "for (let i = 0; i < 1000; i++) yieldCpu();\n"
                + "console.log(cpuYield() === yieldCpu ? 'yielded' : 'loaded twice');\n";
        Process node = new ProcessBuilder(command.get(0), "-e", script, command.get(1))
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, node.waitFor(), output);
        assertEquals("yielded\n", output);
    }

    @Test
    void exitsWhenTheRuntimeApiRefusesConnections() throws IOException {
        write("index.js", "exports.handler = async () => 1;\n");
        api.close();
        start("index.handler");
        assertNotEquals(0, runtime.awaitExit(WAIT));
        assertFalse(runtime.isAlive());
    }
}
