package dev.thunk.core.invoke;

import java.util.concurrent.CompletableFuture;

/**
 * Runs invocations. Implemented by the engine; called by the API. Thread-safe and non-blocking: the returned
 * future completes when the function has answered, failed or timed out.
 */
public interface Invoker {

    /**
     * Starts a synchronous invocation. Throws {@link dev.thunk.core.LambdaException} at once when the request
     * cannot run (no such function, function not active); every other outcome completes the future.
     */
    CompletableFuture<InvocationResult> invoke(InvokeRequest request);

    /** Checks that the invocation could run, without running it (InvocationType DryRun). */
    void dryRun(InvokeRequest request);
}
