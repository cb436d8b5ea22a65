package dev.thunk.core.async;

import dev.thunk.core.invoke.InvokeRequest;

import java.util.concurrent.CompletableFuture;

/** Accepts asynchronous invocations ({@code InvocationType: Event}). Implemented by the engine's dispatcher. */
public interface AsyncInvoker {

    /**
     * Checks the request like a synchronous one would be checked, then queues it durably. Completes once the
     * event is committed; fails with {@link dev.thunk.core.LambdaException} when the function cannot take events.
     */
    CompletableFuture<Void> enqueue(InvokeRequest request);

    /** Counters of the asynchronous path (received, retried, expired, dropped, ...) as a JSON-ready tree. */
    java.util.Map<String, Object> stats();
}
