package dev.thunk.it;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invocations of every runtime through the AWS SDK: echo, context fields, environment variables, warm reuse, and
 * the request checks of Invoke.
 */
class InvokeIT extends SharedServerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String PYTHON_ECHO = """
            import os
            def handler(event, context):
                print("hello from python")
                return {"event": event, "functionName": context.function_name,
                        "functionVersion": context.function_version,
                        "invokedFunctionArn": context.invoked_function_arn,
                        "memoryLimitInMB": int(context.memory_limit_in_mb),
                        "awsRequestId": context.aws_request_id, "logGroupName": context.log_group_name,
                        "logStreamName": context.log_stream_name,
                        "remainingTimeInMillis": context.get_remaining_time_in_millis(),
                        "greeting": os.environ.get("GREETING"), "taskRoot": os.environ["LAMBDA_TASK_ROOT"],
                        "pid": os.getpid()}
            """;

    static final String NODE_ECHO = """
            exports.handler = async (event, context) => {
              console.log("hello from node");
              return { event, functionName: context.functionName, functionVersion: context.functionVersion,
                       invokedFunctionArn: context.invokedFunctionArn,
                       memoryLimitInMB: Number(context.memoryLimitInMB), awsRequestId: context.awsRequestId,
                       logGroupName: context.logGroupName, logStreamName: context.logStreamName,
                       remainingTimeInMillis: context.getRemainingTimeInMillis(),
                       greeting: process.env.GREETING, taskRoot: process.env.LAMBDA_TASK_ROOT, pid: process.pid };
            };
            """;

    /** A custom runtime in Python, speaking the Runtime API by hand. */
    static final String PROVIDED_ECHO = """
            #!/usr/bin/python3
            import json, os, urllib.request
            api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
            while True:
                with urllib.request.urlopen(api + "next") as r:
                    request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
                    arn = r.headers["Lambda-Runtime-Invoked-Function-Arn"]
                    deadline = int(r.headers["Lambda-Runtime-Deadline-Ms"])
                    event = json.loads(r.read())
                print("hello from provided", flush=True)
                out = {"event": event, "functionName": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
                       "functionVersion": os.environ["AWS_LAMBDA_FUNCTION_VERSION"], "invokedFunctionArn": arn,
                       "memoryLimitInMB": int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]),
                       "awsRequestId": request_id, "logGroupName": os.environ["AWS_LAMBDA_LOG_GROUP_NAME"],
                       "logStreamName": os.environ["AWS_LAMBDA_LOG_STREAM_NAME"],
                       "remainingTimeInMillis": deadline, "greeting": os.environ.get("GREETING"),
                       "taskRoot": os.environ["LAMBDA_TASK_ROOT"], "pid": os.getpid()}
                urllib.request.urlopen(urllib.request.Request(api + request_id + "/response",
                                       data=json.dumps(out).encode(), method="POST")).read()
            """;

    @BeforeAll
    static void start() {
        create("echo-python", "python3.12", "app.handler", Packages.python(PYTHON_ECHO));
        create("echo-node", "nodejs20.x", "index.handler", Packages.node(NODE_ECHO));
        create("echo-java17", "java17", "dev.thunk.it.handlers.Hello::handleRequest", Packages.java());
        create("echo-java21", "java21", "dev.thunk.it.handlers.Hello", Packages.java());
        create("echo-java25", "java25", "dev.thunk.it.handlers.Hello", Packages.java());
        create("echo-provided", "provided.al2023", "unused", Packages.provided(PROVIDED_ECHO));
    }

    static void create(String name, String runtime, String handler, byte[] zip) {
        Functions.createActive(lambda, Invocations.function(name, runtime, handler, zip).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "node", "java17", "java21", "java25", "provided"})
    void echoesWithContextAndEnvironmentAndReusesTheWarmEnvironment(String runtime) throws Exception {
        String name = "echo-" + runtime;
        Invocations.Result first = Invocations.invoke(lambda, name, "{\"n\":1,\"s\":\"é\"}");
        assertEquals(200, first.status());
        assertNull(first.functionError(), first.payload());
        assertEquals("$LATEST", first.executedVersion());
        JsonNode out = JSON.readTree(first.payload());
        assertEquals(JSON.readTree("{\"n\":1,\"s\":\"é\"}"), out.get("event"));
        assertEquals(name, out.get("functionName").asText());
        assertEquals("$LATEST", out.get("functionVersion").asText());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:" + name, out.get("invokedFunctionArn").asText());
        assertEquals(128, out.get("memoryLimitInMB").asInt());
        assertEquals("/aws/lambda/" + name, out.get("logGroupName").asText());
        assertTrue(out.get("logStreamName").asText().matches("\\d{4}/\\d\\d/\\d\\d/\\[\\$LATEST][0-9a-f]{32}"),
                out.get("logStreamName").asText());
        assertTrue(out.get("remainingTimeInMillis").asLong() > 0);
        assertEquals("hello from the environment", out.get("greeting").asText());
        assertTrue(out.get("taskRoot").asText().startsWith(server.dataDir().toString()));

        String requestId = out.get("awsRequestId").asText();
        assertTrue(first.log().startsWith("START RequestId: " + requestId + " Version: $LATEST\n"), first.log());
        assertTrue(first.log().contains("hello from"), first.log());
        assertTrue(first.log().contains("END RequestId: " + requestId + "\n"), first.log());
        assertTrue(first.log().matches("(?s).*REPORT RequestId: " + requestId + "\tDuration: [\\d.]+ ms\tBilled Duration: \\d+ ms"
                + "\tMemory Size: 128 MB\tMax Memory Used: [1-9]\\d* MB\tInit Duration: [\\d.]+ ms\t\n"), first.log());

        Invocations.Result second = Invocations.invoke(lambda, name, "{\"n\":2}");
        JsonNode again = JSON.readTree(second.payload());
        assertEquals(out.get("logStreamName"), again.get("logStreamName"), "the same environment served both");
        assertEquals(out.get("pid"), again.get("pid"), "the same process served both");
        assertNotEquals(requestId, again.get("awsRequestId").asText());
        assertFalse(second.log().contains("Init Duration"), "a warm start has no init: " + second.log());
    }

    @Test
    void javaMapsPojosStreamsAndAwsEventTypes() throws Exception {
        byte[] zip = Packages.java(SQSEvent.class, org.joda.time.DateTime.class);
        create("java-pojo", "java21", "dev.thunk.it.handlers.Birthday::handleRequest", zip);
        assertEquals(JSON.readTree("{\"name\":\"Ada\",\"age\":37}"),
                JSON.readTree(Invocations.invoke(lambda, "java-pojo", "{\"name\":\"Ada\",\"age\":36}").payload()));

        create("java-stream", "java17", "dev.thunk.it.handlers.Shout", zip);
        assertEquals("\"QUIET\"", Invocations.invoke(lambda, "java-stream", "\"quiet\"").payload());

        create("java-sqs", "java21", "dev.thunk.it.handlers.Queue::bodies", zip);
        String event = "{\"Records\":[{\"messageId\":\"m1\",\"body\":\"one\",\"eventSource\":\"aws:sqs\"},"
                + "{\"messageId\":\"m2\",\"body\":\"two\",\"eventSource\":\"aws:sqs\"}]}";
        assertEquals("\"m1=one;m2=two;\"", Invocations.invoke(lambda, "java-sqs", event).payload());
    }

    @Test
    void dryRunChecksWithoutRunning() {
        var response = lambda.invoke(b -> b.functionName("echo-python").invocationType(InvocationType.DRY_RUN));
        assertEquals(204, response.statusCode());
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.invoke(b -> b.functionName("missing").invocationType(InvocationType.DRY_RUN)));
        assertEquals(404, missing.statusCode());
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing",
                missing.awsErrorDetails().errorMessage());
    }

    @Test
    void badRequestsAreRefusedWithAwsErrors() {
        AwsServiceException notJson = assertThrows(AwsServiceException.class, () -> lambda.invoke(b -> b
                .functionName("echo-python").payload(SdkBytes.fromUtf8String("{not json"))));
        assertEquals("InvalidRequestContentException", notJson.awsErrorDetails().errorCode());
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.awsErrorDetails().errorMessage().startsWith("Could not parse request body into json"));

        AwsServiceException tooLarge = assertThrows(AwsServiceException.class, () -> lambda.invoke(b -> b
                .functionName("echo-python").payload(SdkBytes.fromUtf8String("\"" + "x".repeat(6_291_456) + "\""))));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("RequestEntityTooLargeException", tooLarge.awsErrorDetails().errorCode());
        assertEquals("Request must be smaller than 6291456 bytes for the InvokeFunction operation",
                tooLarge.awsErrorDetails().errorMessage());

        AwsServiceException missing = assertThrows(AwsServiceException.class,
                () -> lambda.invoke(b -> b.functionName("nobody")));
        assertEquals(404, missing.statusCode());
        AwsServiceException version = assertThrows(AwsServiceException.class,
                () -> lambda.invoke(b -> b.functionName("echo-python").qualifier("3")));
        assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:echo-python:3",
                version.awsErrorDetails().errorMessage());

        AwsServiceException badContext = assertThrows(AwsServiceException.class, () -> lambda.invoke(b -> b
                .functionName("echo-python").clientContext("not base64!")));
        assertEquals("InvalidRequestContentException", badContext.awsErrorDetails().errorCode());
    }

    @Test
    void nodeCallbackHandlersAnswerOnceTheEventLoopIsEmpty() throws Exception {
        // callbackWaitsForEmptyEventLoop (the default): the answer goes when the timer is done, and the runtime's
        // own idle connection to the Runtime API must not count as work, or the invocation would time out.
        create("callback-node", "nodejs20.x", "index.handler", Packages.node("""
                exports.handler = (event, context, callback) => {
                  setTimeout(() => {
                    callback(null, { n: event.n });
                    setTimeout(() => {}, 20);
                  }, 10);
                };
                """));
        for (int n = 1; n <= 3; n++) {
            Invocations.Result result = Invocations.invoke(lambda, "callback-node", "{\"n\":" + n + "}");
            assertNull(result.functionError(), result.payload());
            assertEquals(JSON.readTree("{\"n\":" + n + "}"), JSON.readTree(result.payload()));
        }
    }

    @Test
    void clientContextReachesTheFunction() throws Exception {
        create("context-python", "python3.12", "app.handler", Packages.python("""
                def handler(event, context):
                    return {"custom": context.client_context.custom}
                """));
        String json = "{\"custom\":{\"k\":\"v\"},\"env\":{},\"client\":{}}";
        String encoded = java.util.Base64.getEncoder().encodeToString(json.getBytes());
        var response = lambda.invoke(b -> b.functionName("context-python").clientContext(encoded));
        assertEquals(JSON.readTree("{\"custom\":{\"k\":\"v\"}}"), JSON.readTree(response.payload().asUtf8String()));
    }
}
