package dev.thunk.api;

import java.util.regex.Pattern;

/**
 * An operation bound to a method and a path. The path pattern matches the raw (still percent-encoded) path;
 * each capture group is one path parameter, decoded before the operation sees it.
 *
 * @param name    AWS's operation name, used in error messages such as the body size limit
 * @param maxBody the largest request body accepted, in bytes
 */
public record Route(String method, Pattern path, String name, long maxBody, Operation operation,
                    StreamingOperation streaming) {
    public static final long DEFAULT_MAX_BODY = 1 << 20;

    public static Route of(String method, String pathRegex, String name, Operation operation) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, operation, null);
    }

    /** A route whose answer is streamed; exactly one of {@code operation} and {@code streaming} is set. */
    public static Route streaming(String method, String pathRegex, String name, StreamingOperation streaming) {
        return new Route(method, Pattern.compile(pathRegex), name, DEFAULT_MAX_BODY, null, streaming);
    }

    public Route withMaxBody(long bytes) {
        return new Route(method, path, name, bytes, operation, streaming);
    }
}
