package dev.thunk.core.invoke;

import java.util.Optional;

/**
 * How an invocation ended. Function failures, including the platform's own (timeout, crash, init error), are
 * results, not exceptions: the caller gets HTTP 200 with {@code X-Amz-Function-Error}. Only problems of the
 * request itself are thrown, as {@link dev.thunk.core.LambdaException}.
 */
public sealed interface InvocationResult {
    String requestId();

    String executedVersion();

    /** The tail of the invocation's log, when the caller asked for it. */
    Optional<String> logTail();

    /** The function answered. */
    record Success(String requestId, String executedVersion, byte[] payload, Optional<String> logTail)
            implements InvocationResult {
    }

    /**
     * The function, its runtime or the sandbox failed. {@code payload} is the error JSON the caller receives
     * ({@code errorType}, {@code errorMessage}, ...); {@code errorType} is the same type, for logs and metrics.
     */
    record Failure(String requestId, String executedVersion, String errorType, byte[] payload,
                   Optional<String> logTail) implements InvocationResult {
    }
}
