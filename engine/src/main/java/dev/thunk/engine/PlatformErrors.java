package dev.thunk.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** The error payloads the platform itself produces, worded as AWS words them, and error-type normalisation. */
final class PlatformErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern PASS_THROUGH = Pattern.compile("(Runtime|Function)\\.[A-Z][a-zA-Z]+");

    private PlatformErrors() {
    }

    static byte[] timedOut(String requestId, int timeoutSeconds) {
        return payload("Sandbox.Timedout", "RequestId: " + requestId + " Error: " + timedOutAfter(timeoutSeconds));
    }

    private static String timedOutAfter(int timeoutSeconds) {
        return "Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds";
    }

    static byte[] exited(String requestId, int exitValue) {
        return payload("Runtime.ExitError", "RequestId: " + requestId + " Error: Runtime exited with error: "
                + describeExit(exitValue));
    }

    /** The kernel ended the runtime for exceeding the function's memory. */
    static byte[] outOfMemory(String requestId, int exitValue) {
        return payload("Runtime.OutOfMemory", "RequestId: " + requestId + " Error: Runtime exited with error: "
                + describeExit(exitValue));
    }

    static byte[] responseTooLarge(long limit) {
        return payload("Function.ResponseSizeTooLarge",
                "Response payload size exceeded maximum allowed payload size (" + limit + " bytes).");
    }

    static byte[] startFailed(String requestId, String reason) {
        return payload("Runtime.InvalidEntrypoint", "RequestId: " + requestId + " Error: " + reason);
    }

    /**
     * How the function's log shows an error the platform ended an invocation with, as AWS shows it: the payload's
     * message, then its type, each on a line.
     */
    static String logLines(String type, byte[] payload) {
        String message;
        try {
            com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(payload);
            message = error != null && error.path("errorMessage").isTextual() ? error.get("errorMessage").asText()
                    : new String(payload, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // A runtime's own report need not be JSON: it is logged as it came.
            message = new String(payload, StandardCharsets.UTF_8);
        }
        return message + "\n" + type + "\n";
    }

    /** AWS's log line for a timeout: {@code <timestamp> <request id> Task timed out after 3.00 seconds}. */
    static String timedOutLogLine(String requestId, int timeoutSeconds, Instant now) {
        return LOG_TIME.format(now) + " " + requestId + " " + timedOutAfter(timeoutSeconds) + "\n";
    }

    /** {@code exit status 1}, or {@code signal: killed} for a process ended by a signal. */
    static String describeExit(int exitValue) {
        if (exitValue > 128 && exitValue < 160) {
            return "signal: " + switch (exitValue - 128) {
                case 9 -> "killed";
                case 15 -> "terminated";
                case 11 -> "segmentation fault";
                case 6 -> "aborted";
                case 2 -> "interrupt";
                default -> Integer.toString(exitValue - 128);
            };
        }
        return "exit status " + exitValue;
    }

    /** AWS's rule for the error type a runtime reports. */
    static String normalise(String errorType) {
        if (PASS_THROUGH.matcher(errorType).matches()) {
            return errorType;
        }
        return errorType.startsWith("Function.") ? "Function.Unknown" : "Runtime.Unknown";
    }

    /** {@code {"errorType":...,"errorMessage":...}}, escaped by Jackson: messages may carry any character. */
    static byte[] payload(String type, String message) {
        return JsonNodeFactory.instance.objectNode().put("errorType", type).put("errorMessage", message).toString()
                .getBytes(StandardCharsets.UTF_8);
    }
}
