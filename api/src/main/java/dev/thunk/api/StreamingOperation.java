package dev.thunk.api;

/**
 * An operation whose answer is a stream of chunks written as they come (following logs). Runs on a virtual thread;
 * it may block between chunks, and must stop when the stream is no longer open. Errors thrown before the first
 * chunk are rendered as AWS errors.
 */
@FunctionalInterface
public interface StreamingOperation {
    void handle(ApiRequest request, ResponseStream out);

    /** The open answer: chunks are sent in order; thread-safe. */
    interface ResponseStream {
        /** Sends a chunk; starts the 200 answer with {@code contentType} on the first one. */
        void write(String chunk);

        /** False once the client has gone away. */
        boolean open();
    }
}
