package dev.thunk.engine.runtimeapi;

/**
 * The environment behind a Runtime API listener: it decides whether each step of the protocol is allowed now.
 * Called on the listener's event loop; implementations must not block.
 */
public interface RuntimeApi {

    /** The runtime waits for its next invocation; answer through {@code call} whenever one is there. */
    void next(NextCall call);

    /** The runtime's answer for invocation {@code requestId}. */
    Answer response(String requestId, byte[] body);

    /**
     * The runtime begins to stream its answer for invocation {@code requestId}, of type {@code contentType}
     * ({@code Lambda-Runtime-Function-Response-Mode: streaming}).
     */
    StreamStart streamResponse(String requestId, String contentType);

    /** The runtime's answer was larger than the limit; it was not read. */
    Answer responseTooLarge(String requestId);

    /** The function failed; {@code errorType} is the {@code Lambda-Runtime-Function-Error-Type} header. */
    Answer error(String requestId, String errorType, byte[] body);

    /** The runtime could not initialise. */
    Answer initError(String errorType, byte[] body);
}
