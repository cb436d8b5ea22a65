package dev.thunk.core.invoke;

/**
 * Receives a function's answer as its runtime streams it ({@code Lambda-Runtime-Function-Response-Mode:
 * streaming}), for a caller of InvokeWithResponseStream. Called in order on the environment's event loop, so
 * implementations must not block; the invocation's result may complete meanwhile on another thread (a timeout, the
 * process exiting), and a chunk may then still follow it. A function that answers in one piece never calls it: its
 * payload is in the invocation's result as usual.
 */
public interface ResponseObserver {
    /**
     * The runtime began to stream; {@code contentType} is its response's Content-Type, {@code executedVersion} the
     * function version that runs.
     */
    void streamStarted(String contentType, String executedVersion);

    /**
     * The next bytes of the answer. The stage completes when more is welcome (at once while the caller keeps up):
     * until then the runtime's stream is not read, so a slow caller slows the function instead of filling the
     * server's memory.
     */
    java.util.concurrent.CompletionStage<Void> chunk(byte[] bytes);
}
