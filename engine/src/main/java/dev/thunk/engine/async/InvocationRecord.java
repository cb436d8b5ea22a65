package dev.thunk.engine.async;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.invoke.InvocationResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The record a destination receives about an asynchronous invocation, in AWS's format (version 1.0):
 * {@code requestContext} says which event and why it ended, {@code requestPayload} is the event,
 * {@code responseContext}/{@code responsePayload} what the function answered on its last attempt, when it ran.
 */
final class InvocationRecord {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Why the record was sent: AWS's {@code condition} values. */
    enum Condition { Success, RetriesExhausted, EventAgeExceeded }

    private InvocationRecord() {
    }

    /**
     * @param functionArn the function's ARN qualified by the version that ran (or was to run)
     * @param invokeCount how many times the function ran the event
     * @param last        the last attempt's result, absent when the function never ran it
     */
    static byte[] of(Instant now, Condition condition, String requestId, String functionArn, int invokeCount,
                     byte[] requestPayload, Optional<InvocationResult> last) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", TIMESTAMP.format(now));
        record.putObject("requestContext")
                .put("requestId", requestId)
                .put("functionArn", functionArn)
                .put("condition", condition.name())
                .put("approximateInvokeCount", invokeCount);
        record.set("requestPayload", embedded(requestPayload));
        last.ifPresent(result -> {
            ObjectNode context = record.putObject("responseContext")
                    .put("statusCode", 200)
                    .put("executedVersion", result.executedVersion());
            byte[] payload = switch (result) {
                case InvocationResult.Success s -> s.payload();
                case InvocationResult.Failure f -> {
                    context.put("functionError", "Unhandled");
                    yield f.payload();
                }
            };
            record.set("responsePayload", embedded(payload));
        });
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A payload as JSON when it is JSON (events always are; responses may not be), else as a string. */
    static JsonNode embedded(byte[] payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (IOException e) {
            // Not JSON: carried as text below.
        }
        return JSON.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
    }

    /** The {@code errorMessage} of a function error, for a dead letter's ErrorMessage attribute. */
    static String errorMessage(InvocationResult.Failure failure) {
        JsonNode message = embedded(failure.payload()).path("errorMessage");
        return message.isTextual() ? message.asText() : failure.errorType();
    }
}
