package dev.thunk.engine.runtimeapi;

import java.util.Optional;

/**
 * A response the runtime streams ({@code Lambda-Runtime-Function-Response-Mode: streaming}): its chunks in order,
 * then its end. Called on the listener's event loop; implementations must not block.
 */
public interface StreamedResponse {
    /** The next chunk. False once the response is over its limit: the rest is not read, the answer is a 413. */
    boolean chunk(byte[] bytes);

    /** When the next chunk is welcome: the stream is not read until this completes (backpressure). */
    java.util.concurrent.CompletionStage<Void> readyForMore();

    /**
     * The stream ended. A runtime whose function failed after it began to stream says so in the trailers
     * {@code Lambda-Runtime-Function-Error-Type} and {@code Lambda-Runtime-Function-Error-Body} (base64 of the
     * error JSON).
     */
    Answer end(Optional<String> errorType, Optional<byte[]> errorBody);

    /**
     * The stream broke before its end (its connection closed, or its request could not be read): the runtime may
     * then report the invocation's outcome another way, or end.
     */
    void aborted();
}
