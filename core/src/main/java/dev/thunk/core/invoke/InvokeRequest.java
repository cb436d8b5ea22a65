package dev.thunk.core.invoke;

import java.util.Optional;

/**
 * A synchronous invocation as the API hands it to the engine, already validated: the function reference as the
 * caller wrote it, the payload (JSON), and the optional client context (the JSON decoded from
 * {@code X-Amz-Client-Context}).
 *
 * @param tailLog whether the caller asked for the last 4 KB of the log ({@code X-Amz-Log-Type: Tail})
 */
public record InvokeRequest(
        String functionName,
        Optional<String> qualifier,
        byte[] payload,
        Optional<String> clientContext,
        boolean tailLog) {
}
