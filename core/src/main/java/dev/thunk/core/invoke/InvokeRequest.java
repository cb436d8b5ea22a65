package dev.thunk.core.invoke;

import java.util.Optional;

/**
 * An invocation as the API hands it to the engine, already validated: its request id (the one the caller is
 * answered with and the function sees; an asynchronous event keeps it across retries), the function reference as
 * the caller wrote it, the payload (JSON), and the optional client context (the JSON decoded from
 * {@code X-Amz-Client-Context}).
 *
 * @param tailLog whether the caller asked for the last 4 KB of the log ({@code X-Amz-Log-Type: Tail})
 */
public record InvokeRequest(
        String requestId,
        String functionName,
        Optional<String> qualifier,
        byte[] payload,
        Optional<String> clientContext,
        boolean tailLog) {
}
