package dev.thunk.api;

import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * An operation bound to a method and a path. The path pattern matches the raw (still percent-encoded) path;
 * each capture group is one path parameter, decoded before the operation sees it.
 *
 * @param name    AWS's operation name, used in error messages such as the body size limit
 * @param maxBody the largest request body accepted, in bytes
 * @param handler how the operation runs
 */
public record Route(String method, Pattern path, String name, long maxBody, Handler handler) {
    public static final long DEFAULT_MAX_BODY = 1 << 20;

    /**
     * How an operation runs: blocking on a virtual thread, asynchronously on the event loop, streamed from a virtual
     * thread, or streamed from the event loop.
     */
    public sealed interface Handler permits Blocking, Async, Streaming, AsyncStreaming {
    }

    /** May block (the store): runs on a virtual thread. */
    public record Blocking(Operation operation) implements Handler {
    }

    /** Never blocks: runs on the event loop and answers when its stage completes (the invoke path). */
    public record Async(AsyncOperation operation) implements Handler {
    }

    /** Answers with a stream of chunks, on a virtual thread (run as an {@link AsyncStreaming} one). */
    public record Streaming(StreamingOperation operation) implements Handler {
    }

    /** Never blocks: answers with a body it sends as it comes, from any thread (InvokeWithResponseStream). */
    public record AsyncStreaming(AsyncStreamingOperation operation) implements Handler {
    }

    /**
     * An operation that returns at once with a stage completed when its answer is whole; it must not block. It
     * starts its answer with {@code out.begin} and sends the body through {@code out.send}; a failure before it began
     * is rendered as an AWS error.
     */
    @FunctionalInterface
    public interface AsyncStreamingOperation {
        CompletionStage<Void> handle(ApiRequest request, StreamedAnswer out);
    }

    /** The answer of an {@link AsyncStreamingOperation}; callable from any thread, in order. */
    public interface StreamedAnswer {
        /** Sends the status and headers; the body follows in chunks. Only the first call counts. */
        void begin(int status, java.util.Map<String, String> headers);

        /**
         * Sends the next bytes of the body; after {@link #begin}. The stage completes when more is welcome: at once
         * while the caller keeps up, else once its write queue drains, it goes away, or the answer ends.
         */
        java.util.concurrent.CompletionStage<Void> send(byte[] bytes);

        /** False once the caller has gone away. */
        boolean open();
    }

    /** An operation that returns at once with the stage of its answer; it must not block. */
    @FunctionalInterface
    public interface AsyncOperation {
        CompletionStage<ApiResponse> handle(ApiRequest request);
    }

    public static Route of(String method, String pathRegex, String name, Operation operation) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, new Blocking(operation));
    }

    public static Route async(String method, String pathRegex, String name, AsyncOperation operation) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, new Async(operation));
    }

    public static Route streaming(String method, String pathRegex, String name, StreamingOperation operation) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, new Streaming(operation));
    }

    public static Route asyncStreaming(String method, String pathRegex, String name,
                                       AsyncStreamingOperation operation) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, new AsyncStreaming(operation));
    }

    public Route withMaxBody(long bytes) {
        return new Route(method, path, name, bytes, handler);
    }
}
