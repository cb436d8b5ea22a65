package dev.thunk.core.invoke;

import java.util.concurrent.CompletableFuture;

/**
 * Runs invocations. Implemented by the engine; called by the API. Thread-safe and non-blocking: the returned
 * future completes when the function has answered, failed or timed out.
 */
public interface Invoker {

    /**
     * Starts a synchronous invocation without blocking. When the request cannot run (no such function, function
     * not active, throttled) it throws {@link dev.thunk.core.LambdaException} or completes the future with one;
     * every other outcome, function failures included, is a result.
     */
    CompletableFuture<InvocationResult> invoke(InvokeRequest request);

    /**
     * As {@link #invoke}, for a caller that takes the answer as it comes (InvokeWithResponseStream): a runtime that
     * streams its answer hands the chunks to {@code observer} as they arrive, and the result's payload is then
     * empty; an answer sent in one piece is the result's payload, as with {@link #invoke}.
     */
    CompletableFuture<InvocationResult> invokeStreaming(InvokeRequest request, ResponseObserver observer);

    /** Checks that the invocation could run, without running it (InvocationType DryRun); fails like invoke. */
    CompletableFuture<Void> dryRun(InvokeRequest request);
}
