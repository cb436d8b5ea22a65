package dev.thunk.runtime.java;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The Runtime API verbs, named as the protocol names them. Not thread-safe: one invocation at a time.
 *
 * <p>A failure to reach the Runtime API is an {@link IOException}; the caller ends the process, as the platform
 * discards an environment whose runtime cannot talk to it.
 */
final class RuntimeApiClient implements Closeable {

    private static final String BASE = "/2018-06-01/runtime";
    private static final String NEXT = BASE + "/invocation/next";
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    private final SocketHttpClient http;

    RuntimeApiClient(SocketHttpClient http) {
        this.http = http;
    }

    /** Blocks, without a timeout, until the platform hands out the next event. */
    Invocation nextInvocation() throws IOException {
        return invocationOf(http.get(NEXT));
    }

    /** Told the platform's answer to a posted response (202 normally; 413 for an oversized payload). */
    interface ResponseListener {
        void responseAnswered(String requestId, int status);
    }

    /**
     * Posts an invocation's response and asks for the next event in the same write; {@code listener} hears the
     * post's answer before the next event is waited for.
     */
    Invocation reportResponseThenNext(String requestId, byte[] payload, int length, ResponseListener listener)
            throws IOException {
        // An inner class, not a lambda: the runtime makes no invokedynamic call it would pay for at cold start.
        Consumer<HttpResponse> posted = new Consumer<>() {
            @Override
            public void accept(HttpResponse answer) {
                listener.responseAnswered(requestId, answer.status());
            }
        };
        return invocationOf(http.postThenGet(BASE + "/invocation/" + requestId + "/response",
                new String[] {"Content-Type", "application/json"}, payload, length, NEXT, posted));
    }

    private static Invocation invocationOf(HttpResponse response) throws IOException {
        if (response.status() != 200) {
            throw new IOException("GET " + NEXT + " answered " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        String requestId = response.header("lambda-runtime-aws-request-id");
        if (requestId == null || requestId.isEmpty()) {
            throw new IOException("GET " + NEXT + " answered without Lambda-Runtime-Aws-Request-Id");
        }
        return new Invocation(
                requestId,
                parseLong(response.header("lambda-runtime-deadline-ms")),
                response.header("lambda-runtime-invoked-function-arn"),
                response.header("lambda-runtime-trace-id"),
                response.header("lambda-runtime-client-context"),
                response.header("lambda-runtime-cognito-identity"),
                response.header("lambda-runtime-aws-tenant-id"),
                response.body());
    }

    /** @return the status the platform answered (202 normally; 413 for an oversized payload) */
    int reportInvocationResponse(String requestId, byte[] payload, int length) throws IOException {
        return http.post(BASE + "/invocation/" + requestId + "/response",
                new String[] {"Content-Type", "application/json"}, payload, length).status();
    }

    /** @return the status the platform answered */
    int reportInvocationError(String requestId, ErrorReport error) throws IOException {
        return postError(BASE + "/invocation/" + requestId + "/error", error);
    }

    /** @return the status the platform answered */
    int reportInitError(ErrorReport error) throws IOException {
        return postError(BASE + "/init/error", error);
    }

    private int postError(String path, ErrorReport error) throws IOException {
        byte[] body = error.toJson();
        return http.post(path,
                new String[] {"Content-Type", "application/json", ERROR_TYPE_HEADER, error.category()},
                body, body.length).status();
    }

    private static long parseLong(String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
