package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaAsyncClient;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamCompleteEvent;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamRequest;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponse;
import software.amazon.awssdk.services.lambda.model.InvokeWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.lambda.model.InvokeResponseStreamUpdate;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Response streaming: a Node.js handler wrapped in {@code awslambda.streamifyResponse}, and a custom runtime that
 * streams its response itself, answer InvokeWithResponseStream chunk by chunk (the SDK's asynchronous client reads
 * the event stream) and Invoke in one piece; a failure after the first chunk reaches the caller either way.
 */
class ResponseStreamingIT extends SharedServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LambdaAsyncClient async;

    /**
     * Writes each word of the event as its own chunk, 50 ms apart, then fails if asked to. Or: {@code megabytes} of
     * 'x' in 64 KiB writes, an HTTP answer's prelude then a body, or a first word and then a wait past the timeout.
     */
    private static final String NODE_STREAMING = """
            exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
              if (event.megabytes) {
                const block = Buffer.alloc(65536, 'x');
                for (let i = 0; i < event.megabytes * 16; i++) {
                  if (!responseStream.write(block)) await new Promise((resolve) => responseStream.once('drain', resolve));
                }
                responseStream.end();
                return;
              }
              if (event.http) {
                responseStream = awslambda.HttpResponseStream.from(responseStream,
                    { statusCode: 201, headers: { 'x-made-by': 'thunk' } });
                responseStream.write('made');
                responseStream.end();
                return;
              }
              if (event.httpThenThrow) {
                responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 500 });
                throw new Error('failed right after the prelude');
              }
              if (event.destroy) {
                responseStream.write('partial');
                responseStream.destroy(new Error('destroyed on purpose'));
                return;
              }
              if (event.lateEnd) {
                responseStream.write('early ');
                setTimeout(() => responseStream.end('late'), 100);
                return;
              }
              if (event.stall) {
                responseStream.write('first');
                await new Promise((resolve) => setTimeout(resolve, 60000));
              }
              responseStream.setContentType('text/plain');
              for (const word of event.words) {
                responseStream.write(word);
                await new Promise((resolve) => setTimeout(resolve, 50));
              }
              console.log('streamed ' + event.words.length + ' words');
              if (event.fail) throw new Error('broke after ' + event.words.length + ' words');
              responseStream.end();
            });
            """;

    /** The same in a custom runtime: a chunked POST with the streaming header, an error in the trailers. */
    private static final String PROVIDED_STREAMING = """
            #!/usr/bin/python3
            import base64, http.client, json, os, time
            host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
            api = http.client.HTTPConnection(host, int(port))
            base = "/2018-06-01/runtime/invocation/"
            while True:
                api.request("GET", base + "next")
                r = api.getresponse()
                request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
                event = json.loads(r.read())
                api.putrequest("POST", base + request_id + "/response")
                api.putheader("Lambda-Runtime-Function-Response-Mode", "streaming")
                api.putheader("Transfer-Encoding", "chunked")
                api.putheader("Content-Type", "text/plain")
                api.endheaders()
                if event.get("abort"):
                    # The stream breaks off (its connection closes) after a word; the error is reported on a new one.
                    data = b"half"
                    api.send(b"%x\\r\\n%s\\r\\n" % (len(data), data))
                    api.close()
                    api = http.client.HTTPConnection(host, int(port))
                    for attempt in range(250):
                        api.request("POST", base + request_id + "/error",
                                    body=json.dumps({"errorType": "Aborted", "errorMessage": "gave up"}),
                                    headers={"Lambda-Runtime-Function-Error-Type": "Aborted"})
                        answer = api.getresponse()
                        answer.read()
                        if answer.status == 202:  # refused while the server has not yet seen the stream break
                            break
                        time.sleep(0.02)
                    continue
                for word in event["words"]:
                    data = word.encode()
                    api.send(b"%x\\r\\n%s\\r\\n" % (len(data), data))
                    time.sleep(0.05)
                trailers = b""
                if event.get("fail"):
                    error = json.dumps({"errorType": "WordError", "errorMessage": "no more words"}).encode()
                    trailers = (b"Lambda-Runtime-Function-Error-Type: WordError\\r\\n"
                                + b"Lambda-Runtime-Function-Error-Body: " + base64.b64encode(error) + b"\\r\\n")
                api.send(b"0\\r\\n" + trailers + b"\\r\\n")
                api.getresponse().read()
            """;

    @BeforeAll
    static void createFunctions() {
        async = server.lambdaAsync();
        Functions.createActive(lambda, Invocations.function("node-stream", "nodejs20.x", "index.handler",
                Packages.node(NODE_STREAMING)).timeout(30).build());
        Functions.createActive(lambda, Invocations.function("provided-stream", "provided.al2023", "bootstrap",
                Packages.provided(PROVIDED_STREAMING)).timeout(10).build());
        Functions.createActive(lambda, Invocations.function("whole", "python3.12", "app.handler",
                Packages.python("def handler(event, context):\n    print('whole answer')\n    return {'got': event}\n"))
                .build());
    }

    @AfterAll
    static void closeAsyncClient() {
        async.close();
    }

    /** What the event stream brought: the chunks in order, the complete event, and the response's headers. */
    private record Streamed(List<String> chunks, InvokeWithResponseStreamCompleteEvent complete,
                            InvokeWithResponseStreamResponse response) {
        String body() {
            return String.join("", chunks);
        }
    }

    private static Streamed stream(String function, String payload, boolean tail) throws Exception {
        List<String> chunks = new ArrayList<>();
        InvokeWithResponseStreamCompleteEvent[] complete = {null};
        InvokeWithResponseStreamResponse[] response = {null};
        InvokeWithResponseStreamResponseHandler handler = InvokeWithResponseStreamResponseHandler.builder()
                .onResponse(r -> response[0] = r)
                .subscriber(InvokeWithResponseStreamResponseHandler.Visitor.builder()
                        .onPayloadChunk((InvokeResponseStreamUpdate chunk) -> chunks.add(chunk.payload().asUtf8String()))
                        .onInvokeComplete(event -> complete[0] = event)
                        .build())
                .build();
        InvokeWithResponseStreamRequest request = InvokeWithResponseStreamRequest.builder().functionName(function)
                .payload(SdkBytes.fromUtf8String(payload)).logType(tail ? LogType.TAIL : LogType.NONE).build();
        async.invokeWithResponseStream(request, handler).get(30, TimeUnit.SECONDS);
        return new Streamed(chunks, complete[0], response[0]);
    }

    private static final String THREE_WORDS = "{\"words\":[\"Hello\",\"serverless\",\"world\"]}";

    @Test
    void aStreamingNodeHandlerAnswersChunkByChunk() throws Exception {
        Streamed streamed = stream("node-stream", THREE_WORDS, true);
        assertEquals("Helloserverlessworld", streamed.body());
        assertTrue(streamed.chunks().size() >= 2, "written 50 ms apart, the words arrive as chunks of their own: "
                + streamed.chunks());
        assertNull(streamed.complete().errorCode(), streamed.complete().toString());
        assertEquals("text/plain", streamed.response().responseStreamContentType());
        assertEquals("$LATEST", streamed.response().executedVersion());
        String log = new String(Base64.getDecoder().decode(streamed.complete().logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("streamed 3 words") && log.contains("REPORT RequestId: "), log);
    }

    @Test
    void invokeGetsAStreamedAnswerWhole() {
        Invocations.Result result = Invocations.invoke(lambda, "node-stream", THREE_WORDS);
        assertNull(result.functionError(), result.payload());
        assertEquals("Helloserverlessworld", result.payload());
        Invocations.Result custom = Invocations.invoke(lambda, "provided-stream", THREE_WORDS);
        assertNull(custom.functionError(), custom.payload());
        assertEquals("Helloserverlessworld", custom.payload());
    }

    @Test
    void aFailureAfterTheFirstChunkEndsTheStreamWithTheError() throws Exception {
        String failing = "{\"words\":[\"one\",\"two\"],\"fail\":true}";
        Streamed node = stream("node-stream", failing, false);
        assertEquals("onetwo", node.body(), "what was streamed before the failure stays streamed");
        assertEquals("Error", node.complete().errorCode());
        assertEquals("broke after 2 words", node.complete().errorDetails());

        Invocations.Result whole = Invocations.invoke(lambda, "node-stream", failing);
        assertEquals("Unhandled", whole.functionError());
        JsonNode error = JSON.readTree(whole.payload());
        assertEquals("Error", error.get("errorType").asText());
        assertEquals("broke after 2 words", error.get("errorMessage").asText());

        Streamed custom = stream("provided-stream", failing, false);
        assertEquals("onetwo", custom.body());
        assertEquals("WordError", custom.complete().errorCode());
        assertEquals("no more words", custom.complete().errorDetails());
        // The environments go on serving.
        assertEquals("again", stream("node-stream", "{\"words\":[\"again\"]}", false).body());
        assertEquals("again", stream("provided-stream", "{\"words\":[\"again\"]}", false).body());
    }

    @Test
    void streamsEndAsTheHandlerEndsThemOrWithItsError() throws Exception {
        // The prelude's two writes are sent before the trailers that report the error.
        Streamed thrown = stream("node-stream", "{\"httpThenThrow\":true}", false);
        assertEquals("{\"statusCode\":500}" + "\0".repeat(8), thrown.body());
        assertEquals("Error", thrown.complete().errorCode());
        assertEquals("failed right after the prelude", thrown.complete().errorDetails());

        Streamed destroyed = stream("node-stream", "{\"destroy\":true}", false);
        assertEquals("partial", destroyed.body());
        assertEquals("destroyed on purpose", destroyed.complete().errorDetails());

        // A handler's promise may settle before its stream ends: the invocation waits for the end.
        Streamed late = stream("node-stream", "{\"lateEnd\":true}", false);
        assertNull(late.complete().errorCode(), late.complete().toString());
        assertEquals("early late", late.body());

        assertEquals("after", stream("node-stream", "{\"words\":[\"after\"]}", false).body(),
                "the environment still serves after each of them");
    }

    /**
     * A caller that goes away in the middle of a stream (here: it reads the first bytes, then closes its connection):
     * the function runs to its end, its environment serves the next invocation, and no stream stays paused.
     */
    @Test
    void aCallerThatLeavesMidStreamLeavesTheEnvironmentServing() throws Exception {
        byte[] event = "{\"megabytes\":16}".getBytes(StandardCharsets.UTF_8);
        java.net.URI uri = java.net.URI.create(server.endpoint()
                + "/2021-11-15/functions/node-stream/response-streaming-invocations");
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<java.io.InputStream> response = http.send(Signing.request(server.identity(),
                    "POST", uri, java.util.Map.of("Content-Type", "application/json"), event).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (java.io.InputStream body = response.body()) {
                assertEquals(65536, body.readNBytes(65536).length, "the stream began");
            } // closed with most of the 16 MB unread: the caller is gone
        }
        Streamed after = stream("node-stream", "{\"words\":[\"still\",\" here\"]}", true);
        assertEquals("still here", after.body());
        String log = new String(Base64.getDecoder().decode(after.complete().logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("REPORT RequestId: "), log);
        // The abandoned invocation ran to its end: no environment stays busy with a stream nobody reads (it would
        // until its 30 s timeout).
        dev.thunk.testkit.Await.until("every node-stream environment is idle", java.time.Duration.ofSeconds(15),
                () -> server.pools().stream().filter(p -> p.startsWith("function=node-stream,"))
                        .allMatch(p -> p.matches(".*, total=(\\d+), idle=\\1,.*")));
    }

    @Test
    void aStreamThatBreaksOffLetsTheRuntimeReportAnError() throws Exception {
        Streamed broken = stream("provided-stream", "{\"abort\":true}", false);
        assertEquals("half", broken.body());
        assertEquals("Aborted", broken.complete().errorCode());
        assertEquals("gave up", broken.complete().errorDetails());
        assertEquals("again", stream("provided-stream", "{\"words\":[\"again\"]}", false).body());
    }

    /**
     * A handler that fails before its first write is reported as usual; a write it makes later, while the
     * environment already serves the next invocation, must not start a response on the runtime's connection.
     */
    @Test
    void aStreamAbandonedBeforeItsFirstByteStaysSilent() throws Exception {
        Functions.createActive(lambda, Invocations.function("node-abandon", "nodejs20.x", "index.handler",
                Packages.node("""
                        exports.handler = awslambda.streamifyResponse(async (event, stream) => {
                          if (event.throwFirst) {
                            setTimeout(() => stream.write('late, and never ended'), 50);
                            throw new Error('thrown before writing');
                          }
                          await new Promise((resolve) => setTimeout(resolve, 300));
                          stream.end('fine');
                        });
                        """)).timeout(5).build());
        Invocations.Result thrown = Invocations.invoke(lambda, "node-abandon", "{\"throwFirst\":true}");
        assertEquals("Unhandled", thrown.functionError());
        assertEquals("thrown before writing", JSON.readTree(thrown.payload()).get("errorMessage").asText());
        Invocations.Result next = Invocations.invoke(lambda, "node-abandon", "{}");
        assertNull(next.functionError(), next.payload() + next.log());
        assertEquals("fine", next.payload());
    }

    @Test
    void aStreamingHandlerMustBeAsyncAndMayChooseItsStreamsBuffer() throws Exception {
        Functions.createActive(lambda, Invocations.function("node-sync-stream", "nodejs20.x", "index.handler",
                Packages.node("exports.handler = awslambda.streamifyResponse((event, stream) => { stream.end('x'); });\n"))
                .build());
        Functions.createActive(lambda, Invocations.function("node-buffer", "nodejs20.x", "index.handler",
                Packages.node("""
                        exports.handler = awslambda.streamifyResponse(async (event, stream) => {
                          stream.end(String(stream.writableHighWaterMark));
                        }, { highWaterMark: 1024 });
                        """)).build());
        assertEquals("1024", Invocations.invoke(lambda, "node-buffer", "{}").payload());
        Invocations.Result result = Invocations.invoke(lambda, "node-sync-stream", "{}");
        assertEquals("Unhandled", result.functionError(), result.payload());
        assertEquals("Streaming does not support non-async handlers.",
                JSON.readTree(result.payload()).get("errorMessage").asText());
    }

    @Test
    void aStreamedAnswerMayPassInvokesLimitOnlyWhenItIsStreamedAndUpTo20MiB() throws Exception {
        Streamed streamed = stream("node-stream", "{\"megabytes\":7}", false);
        assertNull(streamed.complete().errorCode(), streamed.complete().toString());
        assertEquals(7 * 1024 * 1024, streamed.body().length());
        assertTrue(streamed.body().chars().allMatch(c -> c == 'x'));

        Streamed tooLarge = stream("node-stream", "{\"megabytes\":21}", false);
        assertEquals("Function.ResponseSizeTooLarge", tooLarge.complete().errorCode());
        assertEquals("Response payload size exceeded maximum allowed payload size (20971520 bytes).",
                tooLarge.complete().errorDetails());
        assertTrue(tooLarge.body().length() <= 20 * 1024 * 1024, "nothing past the limit reaches the caller");

        Invocations.Result whole = Invocations.invoke(lambda, "node-stream", "{\"megabytes\":7}");
        assertEquals("Unhandled", whole.functionError());
        JsonNode error = JSON.readTree(whole.payload());
        assertEquals("Function.ResponseSizeTooLarge", error.get("errorType").asText());
        assertEquals("Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                error.get("errorMessage").asText());
    }

    @Test
    void anHttpResponseStreamStartsWithItsPrelude() throws Exception {
        Streamed streamed = stream("node-stream", "{\"http\":true}", false);
        assertEquals("application/vnd.awslambda.http-integration-response",
                streamed.response().responseStreamContentType());
        assertEquals("{\"statusCode\":201,\"headers\":{\"x-made-by\":\"thunk\"}}" + "\0".repeat(8) + "made",
                streamed.body());
    }

    @Test
    void aTimeoutEndsTheStreamAndItsEnvironment() throws Exception {
        Functions.createActive(lambda, Invocations.function("node-stall", "nodejs20.x", "index.handler",
                Packages.node(NODE_STREAMING)).timeout(1).build());
        Streamed streamed = stream("node-stall", "{\"stall\":true}", false);
        assertEquals("first", streamed.body());
        assertEquals("Sandbox.Timedout", streamed.complete().errorCode());
        assertTrue(streamed.complete().errorDetails().endsWith("Task timed out after 1.00 seconds"),
                streamed.complete().errorDetails());
        assertEquals("again", stream("node-stall", "{\"words\":[\"again\"]}", false).body(),
                "a new environment serves the next invocation");
    }

    @Test
    void aFunctionThatAnswersInOnePieceIsOneChunk() throws Exception {
        Streamed streamed = stream("whole", "{\"a\":1}", true);
        assertEquals(List.of("{\"got\": {\"a\": 1}}"), streamed.chunks());
        assertNull(streamed.complete().errorCode());
        String log = new String(Base64.getDecoder().decode(streamed.complete().logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("whole answer"), log);
    }

    @Test
    void aDryRunChecksWithoutRunning() throws Exception {
        List<Object> events = new ArrayList<>();
        InvokeWithResponseStreamResponse[] response = {null};
        async.invokeWithResponseStream(b -> b.functionName("node-stream").invocationType("DryRun")
                        .payload(SdkBytes.fromUtf8String(THREE_WORDS)),
                InvokeWithResponseStreamResponseHandler.builder().onResponse(r -> response[0] = r)
                        .subscriber(events::add).build()).get(30, TimeUnit.SECONDS);
        assertEquals(204, response[0].statusCode());
        assertEquals(List.of(), events);
    }

    @Test
    void refusalsBeforeTheStreamAreAwsErrors() {
        var missing = assertThrows(CompletionException.class, () -> async.invokeWithResponseStream(
                b -> b.functionName("nowhere").payload(SdkBytes.fromUtf8String("{}")),
                InvokeWithResponseStreamResponseHandler.builder().subscriber(event -> { }).build()).join());
        ResourceNotFoundException e = assertInstanceOf(ResourceNotFoundException.class, missing.getCause());
        assertEquals(404, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("function:nowhere"), e.getMessage());

        // Events are not streamed: the operation takes RequestResponse and DryRun only.
        var event = assertThrows(CompletionException.class, () -> async.invokeWithResponseStream(
                b -> b.functionName("node-stream").invocationType("Event").payload(SdkBytes.fromUtf8String("{}")),
                InvokeWithResponseStreamResponseHandler.builder().subscriber(ignored -> { }).build()).join());
        var invalid = assertInstanceOf(software.amazon.awssdk.services.lambda.model.LambdaException.class,
                event.getCause());
        assertEquals(400, invalid.statusCode());
        assertEquals("ValidationException", invalid.awsErrorDetails().errorCode());
        assertTrue(invalid.awsErrorDetails().errorMessage().contains("[RequestResponse, DryRun]"),
                invalid.awsErrorDetails().errorMessage());

        var notJson = assertThrows(CompletionException.class, () -> async.invokeWithResponseStream(
                b -> b.functionName("node-stream").payload(SdkBytes.fromUtf8String("{not json")),
                InvokeWithResponseStreamResponseHandler.builder().subscriber(ignored -> { }).build()).join());
        assertEquals("InvalidRequestContentException", ((software.amazon.awssdk.services.lambda.model.LambdaException)
                notJson.getCause()).awsErrorDetails().errorCode());
    }
}
