package dev.thunk.it;

import dev.thunk.testkit.Await;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reserved and account concurrency with AWS's API and throttles, bursts, and environment keep-alive. */
class ConcurrencyIT {
    private static final String SLEEPER = """
            import time
            def handler(event, context):
                time.sleep(event.get("sleep", 0))
                return context.log_stream_name
            """;

    private static void createSleeper(LambdaClient lambda, String name) {
        Functions.createActive(lambda, Invocations.function(name, "python3.12", "app.handler",
                Packages.python(SLEEPER)).timeout(30).build());
    }

    /** Fires {@code count} invocations at once; returns each one's outcome: the payload or the throttle reason. */
    private static List<String> burst(LambdaClient lambda, String name, int count, double sleepSeconds) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(pool.submit(() -> {
                    try {
                        Invocations.Result r = Invocations.invoke(lambda, name, "{\"sleep\":" + sleepSeconds + "}");
                        return r.functionError() == null ? "ok" : "error " + r.payload();
                    } catch (TooManyRequestsException e) {
                        return "throttled " + e.reason();
                    }
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> call : calls) {
                outcomes.add(call.get());
            }
            return outcomes;
        }
    }

    private static long count(List<String> outcomes, String prefix) {
        return outcomes.stream().filter(o -> o.startsWith(prefix)).count();
    }

    @Test
    void reservationsAreSetReadAndRemovedWithinTheAccountLimit() {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "reserved");
            assertNull(lambda.getFunctionConcurrency(b -> b.functionName("reserved")).reservedConcurrentExecutions());
            assertEquals(10, lambda.putFunctionConcurrency(b -> b.functionName("reserved")
                    .reservedConcurrentExecutions(10)).reservedConcurrentExecutions());
            assertEquals(10, lambda.getFunctionConcurrency(b -> b.functionName("reserved")).reservedConcurrentExecutions());
            assertEquals(10, lambda.getFunction(b -> b.functionName("reserved")).concurrency().reservedConcurrentExecutions());
            assertEquals(990, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());

            InvalidParameterValueException tooMuch = assertThrows(InvalidParameterValueException.class,
                    () -> lambda.putFunctionConcurrency(b -> b.functionName("reserved").reservedConcurrentExecutions(901)));
            assertEquals("Specified ReservedConcurrentExecutions for function decreases account's "
                    + "UnreservedConcurrentExecution below its minimum value of [100].", tooMuch.awsErrorDetails().errorMessage());
            assertEquals(10, lambda.getFunctionConcurrency(b -> b.functionName("reserved")).reservedConcurrentExecutions());
            AwsServiceException negative = assertThrows(AwsServiceException.class,
                    () -> lambda.putFunctionConcurrency(b -> b.functionName("reserved").reservedConcurrentExecutions(-1)));
            assertEquals("ValidationException", negative.awsErrorDetails().errorCode());
            assertThrows(AwsServiceException.class,
                    () -> lambda.putFunctionConcurrency(b -> b.functionName("nobody").reservedConcurrentExecutions(1)));

            lambda.deleteFunctionConcurrency(b -> b.functionName("reserved"));
            assertNull(lambda.getFunctionConcurrency(b -> b.functionName("reserved")).reservedConcurrentExecutions());
            assertEquals(1000, lambda.getAccountSettings(b -> { }).accountLimit().unreservedConcurrentExecutions());
        }
    }

    @Test
    void reservedZeroThrottlesWithAwsBody() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "disabled");
            lambda.putFunctionConcurrency(b -> b.functionName("disabled").reservedConcurrentExecutions(0));
            TooManyRequestsException e = assertThrows(TooManyRequestsException.class,
                    () -> Invocations.invoke(lambda, "disabled", "{}"));
            assertEquals(429, e.statusCode());
            assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", e.reasonAsString());

            HttpResponse<String> raw = HttpClient.newHttpClient().send(Signing.request(server.identity(), "POST",
                    URI.create(server.endpoint() + "/2015-03-31/functions/disabled/invocations"), java.util.Map.of(),
                    "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, raw.statusCode());
            assertEquals("TooManyRequestsException", raw.headers().firstValue("x-amzn-ErrorType").orElse(""));
            assertEquals("1", raw.headers().firstValue("Retry-After").orElse(""));
            assertEquals("{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\",\"Type\":\"User\","
                    + "\"message\":\"Rate Exceeded.\"}", raw.body());

            lambda.deleteFunctionConcurrency(b -> b.functionName("disabled"));
            assertNull(Invocations.invoke(lambda, "disabled", "{}").functionError());
        }
    }

    @Test
    void aReservationCapsItsFunctionAndLeavesOthersAlone() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "capped");
            createSleeper(lambda, "free");
            lambda.putFunctionConcurrency(b -> b.functionName("capped").reservedConcurrentExecutions(2));
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<List<String>> capped = pool.submit(() -> burst(lambda, "capped", 5, 2));
                Future<List<String>> free = pool.submit(() -> burst(lambda, "free", 5, 2));
                List<String> cappedOutcomes = capped.get();
                assertEquals(2, count(cappedOutcomes, "ok"), cappedOutcomes.toString());
                assertEquals(3, count(cappedOutcomes, "throttled ReservedFunctionConcurrentInvocationLimitExceeded"),
                        cappedOutcomes.toString());
                assertEquals(5, count(free.get(), "ok"), free.get().toString());
            }
        }
    }

    @Test
    void aBurstOfTwoHundredConcurrentInvocationsCompletes() throws Exception {
        try (TestServer server = TestServer.start(); LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "burst");
            List<String> outcomes = burst(lambda, "burst", 200, 1);
            assertEquals(200, count(outcomes, "ok"), outcomes.stream().filter(o -> !o.equals("ok")).toList().toString());
        }
    }

    @Test
    void theAccountLimitThrottlesWhatIsOverIt() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withConcurrencyLimit(100)); LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "crowded");
            List<String> outcomes = burst(lambda, "crowded", 110, 3);
            assertEquals(100, count(outcomes, "ok"), outcomes.toString());
            assertEquals(10, count(outcomes, "throttled ConcurrentInvocationLimitExceeded"), outcomes.toString());
        }
    }

    @Test
    void idleEnvironmentsEndAfterTheKeepAlive() {
        try (TestServer server = TestServer.start(c -> c.withKeepAlive(Duration.ofMillis(500)));
             LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "brief");
            String environment = Invocations.invoke(lambda, "brief", "{}").payload();
            assertTrue(EnvironmentProcesses.alive(unquoted(environment)));
            Await.until("the idle environment is reclaimed", Duration.ofSeconds(10),
                    () -> !EnvironmentProcesses.alive(unquoted(environment)));
            Invocations.Result again = Invocations.invoke(lambda, "brief", "{}");
            assertNotEquals(environment, again.payload());
            assertTrue(again.log().contains("Init Duration"), "a reclaimed environment means a cold start");
        }
    }

    /** A JSON string's text. */
    static String unquoted(String json) {
        return json.substring(1, json.length() - 1);
    }

    @Test
    void aZeroKeepAliveIsAlwaysCold() {
        try (TestServer server = TestServer.start(c -> c.withKeepAlive(Duration.ZERO));
             LambdaClient lambda = server.lambda()) {
            createSleeper(lambda, "cold");
            Invocations.Result first = Invocations.invoke(lambda, "cold", "{}");
            Invocations.Result second = Invocations.invoke(lambda, "cold", "{}");
            assertNotEquals(first.payload(), second.payload());
            assertTrue(second.log().contains("Init Duration"), second.log());
            assertFalse(first.failed() || second.failed());
        }
    }
}
