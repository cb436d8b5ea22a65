package dev.thunk.runtime.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real runtime as a child JVM against a fake Runtime API, on JDK 17 (what java17 functions run on)
 * and JDK 25, and checks what it posts.
 */
class MainProcessTest {

    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path temp;

    static Stream<Path> jdks() {
        return Stream.of(JDK17, JDK25);
    }

    private Path taskRoot(Path jdk) throws Exception {
        assumeTrue(Files.isExecutable(jdk.resolve("bin/java")), "no JDK at " + jdk);
        return TaskRoot.create(temp);
    }

    private RuntimeProcess start(Path jdk, String handler, FakeRuntimeApi api) throws Exception {
        return RuntimeProcess.start(jdk, taskRoot(jdk), handler, api, Map.of(), List.of());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void streamHandlerEchoesBytesAndNeverLoadsTheSerializationLibrary(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = RuntimeProcess.start(jdk, taskRoot(jdk), "example.EchoStreamHandler", api,
                     Map.of(), List.of("-Xlog:class+load=info"))) {
            byte[] unicode = "{\"text\":\"héllo ✓ \\n\"}".getBytes(StandardCharsets.UTF_8);
            byte[] large = new byte[300_000];
            for (int i = 0; i < large.length; i++) {
                large[i] = (byte) ('a' + i % 26);
            }
            api.enqueue(new FakeRuntimeApi.Event("r1", unicode, Map.of(), false));
            api.enqueue(new FakeRuntimeApi.Event("r2", large, Map.of(), true));
            api.enqueue(new FakeRuntimeApi.Event("r3", new byte[0], Map.of(), false));

            FakeRuntimeApi.Post first = api.awaitPost();
            assertEquals("response", first.kind(), runtime.output());
            assertEquals("r1", first.requestId());
            assertArrayEquals(unicode, first.body());
            FakeRuntimeApi.Post second = api.awaitPost();
            assertEquals("r2", second.requestId());
            assertArrayEquals(large, second.body());
            FakeRuntimeApi.Post third = api.awaitPost();
            assertEquals("r3", third.requestId());
            assertEquals(0, third.body().length);

            assertFalse(runtime.output().contains("com.amazonaws.services.lambda.runtime.serialization"),
                    "a stream handler loaded the serialization library");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void mapHandlerMapsPlainJsonWithoutTheSerializationLibrary(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = RuntimeProcess.start(jdk, taskRoot(jdk), "example.HelloHandler", api,
                     Map.of(), List.of("-Xlog:class+load=info"))) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"name\":\"Ada\",\"n\":[1,2.5]}"));
            api.enqueue(FakeRuntimeApi.Event.json("r2", "{\"name\":\"Bob\"}"));
            FakeRuntimeApi.Post first = api.awaitPost();
            assertEquals("response", first.kind(), runtime.output());
            assertEquals("\"Hello Ada\"", first.text());
            assertEquals("\"Hello Bob\"", api.awaitPost().text());
            String output = runtime.output();
            // LambdaLogger.log without a newline still ends its line, as each call is one event on AWS.
            assertTrue(output.contains("greeting Ada\n"), output);
            assertTrue(output.contains("greeting Bob\n"), output);
            assertFalse(output.contains("com.amazonaws.services.lambda.runtime.serialization"),
                    "a plain JSON handler loaded the serialization library");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void oddInputToAPlainHandlerGetsJacksonsLenientReading(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.HelloHandler", api)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{name:'Ada'}"));
            api.enqueue(FakeRuntimeApi.Event.json("r2", "{\"name\":"));
            FakeRuntimeApi.Post lenient = api.awaitPost();
            assertEquals("response", lenient.kind(), runtime.output());
            assertEquals("\"Hello Ada\"", lenient.text());
            FakeRuntimeApi.Post broken = api.awaitPost();
            assertEquals("error", broken.kind(), runtime.output());
            assertEquals("An error occurred during JSON parsing", broken.json().get("errorMessage"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void runtimeStartedWithAFreshlyTrainedArchiveAnswersAsBefore(Path jdk) throws Exception {
        Path taskRoot = taskRoot(jdk);
        String classPath = ClassDataArchive.jarClassPath(temp);
        ClassDataArchive archive = ClassDataArchive.train(jdk, classPath, temp.resolve("runtime.archive"));
        List<String> flags = new ArrayList<>(archive.useFlags());
        flags.add("-Xlog:class+load=info");
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = RuntimeProcess.start(jdk, classPath, taskRoot, "example.GreetingHandler", api,
                     Map.of(), flags)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"name\":\"Ada\",\"times\":2}"));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            assertEquals(Map.of("message", "Hello Ada Hello Ada"), post.json());
            String output = runtime.output();
            assertTrue(output.contains("dev.thunk.runtime.java.Main source: shared objects file"), output);
            assertTrue(output.contains("thirdparty.com.fasterxml.jackson.databind.ObjectMapper source: shared objects file"),
                    output);
        }
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = RuntimeProcess.start(jdk, classPath, taskRoot, "example.HelloHandler", api,
                     Map.of(), archive.useFlags())) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"name\":\"Ada\"}"));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            assertEquals("\"Hello Ada\"", post.text());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void requestHandlerMapsPojosThroughAGenericSuperclass(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.GreetingHandler", api)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"name\":\"Ada\",\"times\":2,\"unknown\":true}"));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            assertEquals(Map.of("message", "Hello Ada Hello Ada"), post.json());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void stringMethodHandler(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.PlainMethods::upper", api)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "\"shout\""));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            assertEquals("\"SHOUT\"", post.text());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void mapMethodHandlerWithContext(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.PlainMethods::describe", api)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"b\":1,\"a\":{\"x\":true}}"));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            Map<String, Object> json = post.json();
            assertEquals(List.of("a", "b"), json.get("keys"));
            assertEquals(Map.of("x", true), json.get("nested"));
            assertEquals("r1", json.get("requestId"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void eventTypeFromTheUsersJarUsesAwsEventSerializer(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.SqsHandler", api)) {
            // "Records" and "eventSourceARN" are AWS's wire names; only the event mixins map them.
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"Records\":["
                    + "{\"messageId\":\"m1\",\"body\":\"one\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:0:q\"},"
                    + "{\"messageId\":\"m2\",\"body\":\"two\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:0:q\"}]}"));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            assertEquals("\"m1=one@arn:aws:sqs:us-east-1:0:q,m2=two@arn:aws:sqs:us-east-1:0:q\"", post.text());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void contextCarriesInvocationAndEnvironmentFields(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.ContextHandler", api)) {
            String clientContext = Base64.getEncoder().encodeToString(
                    "{\"client\":{\"app_title\":\"app\"},\"custom\":{\"k\":\"v\"},\"env\":{\"platform\":\"Linux\"}}"
                            .getBytes(StandardCharsets.UTF_8));
            api.enqueue(new FakeRuntimeApi.Event("r1", "{}".getBytes(StandardCharsets.UTF_8), Map.of(
                    "Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:fn:live",
                    "Lambda-Runtime-Trace-Id", "Root=1-abc;Parent=def;Sampled=1",
                    "Lambda-Runtime-Client-Context", clientContext,
                    "Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"id-1\",\"cognitoIdentityPoolId\":\"pool-1\"}"),
                    false));
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("response", post.kind(), runtime.output());
            Map<String, Object> json = post.json();
            assertEquals("r1", json.get("requestId"));
            assertEquals("fn", json.get("functionName"));
            assertEquals("$LATEST", json.get("functionVersion"));
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:fn:live", json.get("invokedFunctionArn"));
            assertEquals("256", json.get("memoryLimitInMB"));
            assertEquals("/aws/lambda/fn", json.get("logGroupName"));
            assertEquals("2025/01/01/[$LATEST]abc", json.get("logStreamName"));
            int remaining = Integer.parseInt((String) json.get("remainingTimeInMillis"));
            assertTrue(remaining > 0 && remaining <= 60_000, "remaining " + remaining);
            assertEquals("Root=1-abc;Parent=def;Sampled=1", json.get("xrayTraceId"));
            assertEquals("Root=1-abc;Parent=def;Sampled=1", json.get("traceHeaderProperty"));
            assertEquals("v", json.get("custom.k"));
            assertEquals("Linux", json.get("env.platform"));
            assertEquals("app", json.get("client.appTitle"));
            assertEquals("id-1", json.get("identityId"));
            assertEquals("pool-1", json.get("identityPoolId"));
            assertTrue(runtime.output().contains("hello from the logger"), runtime.output());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void handlerExceptionIsReportedAndTheLoopGoesOn(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.FailingHandler", api)) {
            api.enqueue(FakeRuntimeApi.Event.json("r1", "{\"fail\":true}"));
            api.enqueue(FakeRuntimeApi.Event.json("r2", "{\"fail\":false}"));

            FakeRuntimeApi.Post error = api.awaitPost();
            assertEquals("error", error.kind(), runtime.output());
            assertEquals("r1", error.requestId());
            assertEquals("Runtime.UserException", error.header("Lambda-Runtime-Function-Error-Type"));
            Map<String, Object> json = error.json();
            assertEquals("boom", json.get("errorMessage"));
            assertEquals("java.lang.IllegalStateException", json.get("errorType"));
            @SuppressWarnings("unchecked")
            List<String> trace = (List<String>) json.get("stackTrace");
            assertFalse(trace.isEmpty());
            assertTrue(trace.get(0).startsWith("example.FailingHandler.explode(FailingHandler.java:"), trace.get(0));
            assertTrue(trace.stream().noneMatch(frame -> frame.contains("dev.thunk")), trace.toString());

            FakeRuntimeApi.Post ok = api.awaitPost();
            assertEquals("response", ok.kind());
            assertEquals("r2", ok.requestId());
            assertEquals("\"ok\"", ok.text());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void missingClassIsAnInitErrorAndTheProcessExits(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.Missing", api)) {
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("init-error", post.kind(), runtime.output());
            assertEquals("Runtime.BadFunctionCode", post.header("Lambda-Runtime-Function-Error-Type"));
            assertEquals("{\"errorMessage\":\"Class not found: example.Missing\","
                    + "\"errorType\":\"java.lang.ClassNotFoundException\"}", post.text());
            assertNotEquals(0, runtime.awaitExit());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void failingStaticInitialiserIsAnInitError(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.BrokenInit", api)) {
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("init-error", post.kind(), runtime.output());
            assertEquals(Map.of("errorMessage", "Error loading class example.BrokenInit",
                    "errorType", "java.lang.ExceptionInInitializerError"), post.json());
            assertNotEquals(0, runtime.awaitExit());
            assertTrue(runtime.output().contains("static boom"), runtime.output());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void unknownMethodIsAnInitError(Path jdk) throws Exception {
        try (FakeRuntimeApi api = new FakeRuntimeApi();
             RuntimeProcess runtime = start(jdk, "example.PlainMethods::nope", api)) {
            FakeRuntimeApi.Post post = api.awaitPost();
            assertEquals("init-error", post.kind(), runtime.output());
            assertEquals(Map.of("errorMessage",
                    "No public method named nope with appropriate method signature found on class example.PlainMethods"),
                    post.json());
            assertNotEquals(0, runtime.awaitExit());
        }
    }
}
