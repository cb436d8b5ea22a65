package dev.thunk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thunk.testkit.Await;
import dev.thunk.testkit.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.DeadLetterConfig;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.FunctionEventInvokeConfig;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.OnFailure;
import software.amazon.awssdk.services.lambda.model.OnSuccess;
import software.amazon.awssdk.services.lambda.model.PutFunctionEventInvokeConfigResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asynchronous invocation through the AWS SDK: 202 once durable, retries and their spacing, event age, reserved
 * concurrency 0, destinations (a function, an SQS queue) with AWS's record, and the dead-letter queue. Functions
 * record each attempt in a file; an embedded ElasticMQ plays the SQS endpoint.
 */
class AsyncIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short, so retries are seen in seconds; AWS waits one minute. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ACCOUNT_ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

    static QueueServer queues;
    static MovableClock clock = new MovableClock();
    static TestServer server;
    static LambdaClient lambda;

    @BeforeAll
    static void start() {
        queues = QueueServer.start();
        server = TestServer.start(c -> c.withAsync(c.async().withRetryBaseDelay(RETRY_DELAY)
                .withSqsEndpoint(queues.endpoint()).withClock(clock)));
        lambda = server.lambda();
    }

    @AfterAll
    static void stop() {
        lambda.close();
        server.close();
        queues.close();
    }

    /**
     * A Python function that records each attempt ({@code requestId}, time, event; see {@link Records}) and fails
     * when the event says {@code "fail": true}. Answers the function's name, for {@link #attempts}.
     */
    private static String recorder(String name) {
        Functions.createActive(lambda, Invocations.function(name, "python3.12", "app.handler", Packages.python("""
                import json, time
                def handler(event, context):
                    print("RECORD " + json.dumps({"id": context.aws_request_id, "t": time.time(), "event": event}))
                    if isinstance(event, dict) and event.get("fail"):
                        raise ValueError("failed on purpose")
                    return {"echo": event}
                """)).build());
        return name;
    }

    /** The attempts the function has recorded, in the order they ran. */
    private static List<JsonNode> attempts(String function) {
        List<JsonNode> out = new ArrayList<>(Records.of(server.dataDir(), function));
        out.sort(java.util.Comparator.comparingDouble(r -> r.get("t").asDouble()));
        return out;
    }

    private static InvokeResponse event(String function, String payload) {
        return lambda.invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode stats() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return json(http.send(Signing.request(server.identity(), "GET", URI.create(server.endpoint() + "/thunk/async"),
                            java.util.Map.of(), new byte[0]).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    @Test
    void anEventIsAcknowledgedWith202AndRunsWithTheAcknowledgedRequestId() throws Exception {
        String file = recorder("async-hello");
        InvokeResponse accepted = event("async-hello", "{\"n\":1}");
        assertEquals(202, accepted.statusCode());
        assertEquals(0, accepted.payload().asByteArray().length, "an Event invocation answers no payload");
        String requestId = accepted.responseMetadata().requestId();
        Await.until("the event ran", WAIT, () -> attempts(file).size() == 1);
        JsonNode attempt = attempts(file).getFirst();
        assertEquals(requestId, attempt.get("id").asText());
        assertEquals(1, attempt.get("event").get("n").asInt());
        assertTrue(stats().get("received").asLong() >= 1, stats().toString());
    }

    @Test
    void aFailingEventIsRetriedTwiceWithGrowingDelaysUnderOneRequestId() {
        String file = recorder("async-retry");
        String requestId = event("async-retry", "{\"fail\":true}").responseMetadata().requestId();
        Await.until("three attempts", WAIT, () -> attempts(file).size() == 3);
        List<JsonNode> attempts = attempts(file);
        attempts.forEach(a -> assertEquals(requestId, a.get("id").asText(), "retries keep the request id"));
        double first = attempts.get(1).get("t").asDouble() - attempts.get(0).get("t").asDouble();
        double second = attempts.get(2).get("t").asDouble() - attempts.get(1).get("t").asDouble();
        double base = RETRY_DELAY.toMillis() / 1000.0;
        // Lower bounds only: a retry must not come early; how late a loaded machine makes it is not the point.
        assertTrue(first >= base * 0.95, "first retry after the base delay: " + first);
        assertTrue(second >= 2 * base * 0.95, "second retry after twice the base delay: " + second);
        // No fourth attempt: wait past when it would have come.
        sleep(RETRY_DELAY.multipliedBy(4));
        assertEquals(3, attempts(file).size());
    }

    @Test
    void destinationsGetAwsInvocationRecords() throws Exception {
        recorder("async-dest");
        String okQueue = queues.createQueue("async-dest-ok");
        String failQueue = queues.createQueue("async-dest-fail");
        PutFunctionEventInvokeConfigResponse put = lambda.putFunctionEventInvokeConfig(b -> b
                .functionName("async-dest").maximumRetryAttempts(0)
                .destinationConfig(DestinationConfig.builder()
                        .onSuccess(OnSuccess.builder().destination(okQueue).build())
                        .onFailure(OnFailure.builder().destination(failQueue).build()).build()));
        assertEquals(ACCOUNT_ARN + "async-dest:$LATEST", put.functionArn());

        String okId = event("async-dest", "{\"order\":[1,2]}").responseMetadata().requestId();
        String failId = event("async-dest", "{\"fail\":true}").responseMetadata().requestId();

        List<Message> ok = queues.receive("async-dest-ok", 1, WAIT);
        assertEquals(1, ok.size());
        JsonNode success = json(ok.getFirst().body());
        assertEquals("1.0", success.get("version").asText());
        assertTrue(success.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                success.toString());
        JsonNode context = success.get("requestContext");
        assertEquals(okId, context.get("requestId").asText());
        assertEquals(ACCOUNT_ARN + "async-dest:$LATEST", context.get("functionArn").asText());
        assertEquals("Success", context.get("condition").asText());
        assertEquals(1, context.get("approximateInvokeCount").asInt());
        assertEquals(json("{\"order\":[1,2]}"), success.get("requestPayload"));
        assertEquals(json("{\"statusCode\":200,\"executedVersion\":\"$LATEST\"}"), success.get("responseContext"));
        assertEquals(json("{\"echo\":{\"order\":[1,2]}}"), success.get("responsePayload"));

        List<Message> failed = queues.receive("async-dest-fail", 1, WAIT);
        assertEquals(1, failed.size());
        JsonNode failure = json(failed.getFirst().body());
        assertEquals(failId, failure.get("requestContext").get("requestId").asText());
        assertEquals("RetriesExhausted", failure.get("requestContext").get("condition").asText());
        assertEquals(1, failure.get("requestContext").get("approximateInvokeCount").asInt());
        assertEquals(json("{\"fail\":true}"), failure.get("requestPayload"));
        assertEquals(json("{\"statusCode\":200,\"executedVersion\":\"$LATEST\",\"functionError\":\"Unhandled\"}"),
                failure.get("responseContext"));
        assertEquals("ValueError", failure.get("responsePayload").get("errorType").asText());
        assertEquals("failed on purpose", failure.get("responsePayload").get("errorMessage").asText());
    }

    @Test
    void aFunctionDestinationReceivesTheRecordAsItsEvent() {
        recorder("async-source");
        String target = recorder("async-target");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-source")
                .destinationConfig(DestinationConfig.builder()
                        .onSuccess(OnSuccess.builder().destination(ACCOUNT_ARN + "async-target").build()).build()));
        String sourceId = event("async-source", "{\"hello\":\"world\"}").responseMetadata().requestId();
        Await.until("the destination function ran", WAIT, () -> attempts(target).size() == 1);
        JsonNode record = attempts(target).getFirst().get("event");
        assertEquals(sourceId, record.get("requestContext").get("requestId").asText());
        assertEquals("Success", record.get("requestContext").get("condition").asText());
        assertEquals("world", record.get("requestPayload").get("hello").asText());
    }

    @Test
    void anEventOlderThanItsMaximumAgeGoesToTheFailureDestination() {
        String file = recorder("async-age");
        String failQueue = queues.createQueue("async-age-fail");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-age").maximumEventAgeInSeconds(60)
                .destinationConfig(DestinationConfig.builder()
                        .onFailure(OnFailure.builder().destination(failQueue).build()).build()));
        String id = event("async-age", "{\"fail\":true}").responseMetadata().requestId();
        Await.until("the first attempt", WAIT, () -> attempts(file).size() == 1);
        // The retry is due in under a second; by then the event is 61 seconds old.
        clock.advance(Duration.ofSeconds(61));
        List<Message> failed = queues.receive("async-age-fail", 1, WAIT);
        assertEquals(1, failed.size());
        JsonNode record = json(failed.getFirst().body());
        assertEquals(id, record.get("requestContext").get("requestId").asText());
        assertEquals("EventAgeExceeded", record.get("requestContext").get("condition").asText());
        assertEquals(1, record.get("requestContext").get("approximateInvokeCount").asInt());
        assertEquals(1, attempts(file).size(), "an expired event is not run again");
    }

    @Test
    void reservedConcurrencyZeroSendsEventsStraightToTheFailurePath() {
        String file = recorder("async-disabled");
        String failQueue = queues.createQueue("async-disabled-fail");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-disabled")
                .destinationConfig(DestinationConfig.builder()
                        .onFailure(OnFailure.builder().destination(failQueue).build()).build()));
        lambda.putFunctionConcurrency(b -> b.functionName("async-disabled").reservedConcurrentExecutions(0));
        String id = event("async-disabled", "{}").responseMetadata().requestId();
        List<Message> failed = queues.receive("async-disabled-fail", 1, WAIT);
        assertEquals(1, failed.size());
        JsonNode record = json(failed.getFirst().body());
        assertEquals(id, record.get("requestContext").get("requestId").asText());
        assertEquals(0, record.get("requestContext").get("approximateInvokeCount").asInt());
        assertFalse(record.has("responseContext"), "the function never ran: " + record);
        assertTrue(attempts(file).isEmpty());
    }

    @Test
    void theDeadLetterQueueGetsTheOriginalEventWithAwsAttributes() {
        String file = recorder("async-dlq");
        String dlq = queues.createQueue("async-dlq");
        lambda.updateFunctionConfiguration(b -> b.functionName("async-dlq")
                .deadLetterConfig(DeadLetterConfig.builder().targetArn(dlq).build()));
        lambda.waiter().waitUntilFunctionUpdatedV2(b -> b.functionName("async-dlq"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-dlq").maximumRetryAttempts(1));
        String id = event("async-dlq", "{\"fail\":true,\"n\":7}").responseMetadata().requestId();
        List<Message> letters = queues.receive("async-dlq", 1, WAIT);
        assertEquals(1, letters.size());
        Message letter = letters.getFirst();
        assertEquals(json("{\"fail\":true,\"n\":7}"), json(letter.body()), "only the original event");
        assertEquals(id, letter.messageAttributes().get("RequestID").stringValue());
        assertEquals("200", letter.messageAttributes().get("ErrorCode").stringValue());
        assertEquals("failed on purpose", letter.messageAttributes().get("ErrorMessage").stringValue());
        assertEquals(2, attempts(file).size(), "one retry, then the dead-letter queue");
    }

    @Test
    void eventInvokeConfigsArePutUpdatedListedAndDeletedLikeAws() {
        recorder("async-config");
        lambda.publishVersion(b -> b.functionName("async-config"));
        var created = lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-config").maximumRetryAttempts(1));
        assertEquals(1, created.maximumRetryAttempts());
        assertEquals(null, created.maximumEventAgeInSeconds(), "only what was set is echoed");
        var updated = lambda.updateFunctionEventInvokeConfig(b -> b.functionName("async-config")
                .maximumEventAgeInSeconds(120));
        assertEquals(1, updated.maximumRetryAttempts(), "update keeps the fields it does not name");
        assertEquals(120, updated.maximumEventAgeInSeconds());
        var replaced = lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-config")
                .maximumEventAgeInSeconds(300));
        assertEquals(null, replaced.maximumRetryAttempts(), "put replaces the whole configuration");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-config").qualifier("1").maximumRetryAttempts(0));
        var got = lambda.getFunctionEventInvokeConfig(b -> b.functionName("async-config").qualifier("1"));
        assertEquals(ACCOUNT_ARN + "async-config:1", got.functionArn());
        assertTrue(got.lastModified() != null);
        var list = lambda.listFunctionEventInvokeConfigs(b -> b.functionName("async-config"));
        assertEquals(List.of(ACCOUNT_ARN + "async-config:$LATEST", ACCOUNT_ARN + "async-config:1"),
                list.functionEventInvokeConfigs().stream().map(FunctionEventInvokeConfig::functionArn).toList());
        var page = lambda.listFunctionEventInvokeConfigs(b -> b.functionName("async-config").maxItems(1));
        assertEquals(1, page.functionEventInvokeConfigs().size());
        assertEquals(1, lambda.listFunctionEventInvokeConfigs(b -> b.functionName("async-config")
                .marker(page.nextMarker())).functionEventInvokeConfigs().size());

        lambda.createAlias(b -> b.functionName("async-config").name("live").functionVersion("1"));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-config").qualifier("live")
                .maximumRetryAttempts(2));
        lambda.deleteAlias(b -> b.functionName("async-config").name("live"));
        assertThrows(ResourceNotFoundException.class, () -> lambda.getFunctionEventInvokeConfig(b -> b
                .functionName("async-config").qualifier("live")), "a deleted alias takes its configuration along");
        lambda.deleteFunctionEventInvokeConfig(b -> b.functionName("async-config").qualifier("1"));
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                () -> lambda.getFunctionEventInvokeConfig(b -> b.functionName("async-config").qualifier("1")));
        assertEquals("The function " + ACCOUNT_ARN + "async-config:1 doesn't have an EventInvokeConfig",
                missing.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> lambda.updateFunctionEventInvokeConfig(b -> b
                .functionName("async-config").qualifier("1").maximumRetryAttempts(1)));
        assertThrows(ResourceNotFoundException.class, () -> lambda.putFunctionEventInvokeConfig(b -> b
                .functionName("async-config").qualifier("7").maximumRetryAttempts(1)));
        assertThrows(ResourceNotFoundException.class, () -> lambda.putFunctionEventInvokeConfig(b -> b
                .functionName("no-such-function").maximumRetryAttempts(1)));
    }

    @Test
    void badEventInvokeConfigsAreRefusedAndChangeNothing() {
        recorder("async-bad-config");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("async-bad-config").maximumRetryAttempts(1));
        LambdaException retries = assertThrows(LambdaException.class, () -> lambda.putFunctionEventInvokeConfig(
                b -> b.functionName("async-bad-config").maximumRetryAttempts(3)));
        assertEquals(400, retries.statusCode());
        assertEquals("1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy "
                + "constraint: Member must have value less than or equal to 2", retries.awsErrorDetails().errorMessage());
        LambdaException age = assertThrows(LambdaException.class, () -> lambda.putFunctionEventInvokeConfig(
                b -> b.functionName("async-bad-config").maximumEventAgeInSeconds(59)));
        assertEquals(400, age.statusCode());
        assertThrows(InvalidParameterValueException.class, () -> lambda.putFunctionEventInvokeConfig(b -> b
                .functionName("async-bad-config").destinationConfig(DestinationConfig.builder().onSuccess(
                        OnSuccess.builder().destination("arn:aws:sns:us-east-1:000000000000:topic").build()).build())));
        assertEquals(1, lambda.getFunctionEventInvokeConfig(b -> b.functionName("async-bad-config"))
                .maximumRetryAttempts(), "refused changes leave the configuration as it was");
    }

    @Test
    void anOversizedEventIs413AndAMissingFunction404() throws Exception {
        recorder("async-size");
        long before = stats().get("received").asLong();
        String largest = "\"" + "a".repeat(1_048_576 - 2) + "\"";
        assertEquals(202, event("async-size", largest).statusCode(), "1 MB exactly is accepted");
        LambdaException tooLarge = assertThrows(LambdaException.class,
                () -> event("async-size", "\"" + "a".repeat(1_048_576 - 1) + "\""));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("RequestEntityTooLargeException", tooLarge.awsErrorDetails().errorCode());
        assertEquals("Request must be smaller than 1048576 bytes for the InvokeFunction operation",
                tooLarge.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> event("async-nothing-here", "{}"));
        assertEquals(before + 1, stats().get("received").asLong(), "refused events are not queued");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
