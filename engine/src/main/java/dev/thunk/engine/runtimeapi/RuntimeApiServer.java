package dev.thunk.engine.runtimeapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Runtime API of one execution environment, on its own loopback port (official runtime clients accept a
 * {@code host:port} and nothing else). Parses each request and hands it to the environment's {@link RuntimeApi},
 * which decides; answers {@code 413} for responses over the limit without reading them whole.
 */
public final class RuntimeApiServer {
    /** AWS's limit on a runtime's response: 6 MB plus 100 bytes of slack. */
    public static final int MAX_RESPONSE = 6_291_556;
    private static final int MAX_ERROR = 1 << 20;
    private static final String BASE = "/2018-06-01/runtime/";
    /** AWS's type of a streamed response whose runtime named none. */
    private static final String STREAM_DEFAULT_TYPE = "application/octet-stream";
    static final String RESPONSE_MODE_HEADER = "Lambda-Runtime-Function-Response-Mode";
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";
    private static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";
    private static final Pattern INVOCATION = Pattern.compile(BASE + "invocation/([^/]+)/(response|error)");

    private final HttpServer server;

    private RuntimeApiServer(HttpServer server) {
        this.server = server;
    }

    public static Future<RuntimeApiServer> start(Vertx vertx, RuntimeApi api) {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true)
                .setHttp2ClearTextEnabled(false)
                // Error reports carry stack traces in headers and bodies; keep room for them.
                .setMaxHeaderSize(64 * 1024);
        return vertx.createHttpServer(options).connectionHandler(RequestTrailers::install)
                .requestHandler(request -> handle(api, request)).listen()
                .map(RuntimeApiServer::new);
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }

    private static void handle(RuntimeApi api, HttpServerRequest request) {
        String path = request.path();
        if (request.method() == HttpMethod.GET && path.equals(BASE + "invocation/next")) {
            api.next(new NextCall(request, Vertx.currentContext()));
            return;
        }
        if (request.method() == HttpMethod.GET && path.equals("/ping")) {
            request.response().end("pong");
            return;
        }
        if (request.method() != HttpMethod.POST) {
            answer(request, Answer.error(404, "NotFound", "No such Runtime API endpoint: " + path));
            return;
        }
        Matcher m = INVOCATION.matcher(path);
        if (m.matches()) {
            String requestId = m.group(1);
            if (streamedResponse(request.method().name(), path, request.getHeader(RESPONSE_MODE_HEADER))) {
                String contentType = request.getHeader("Content-Type");
                stream(request, api.streamResponse(requestId, contentType == null ? STREAM_DEFAULT_TYPE : contentType));
            } else if (m.group(2).equals("response")) {
                readLimited(request, MAX_RESPONSE, body -> api.response(requestId, body),
                        () -> api.responseTooLarge(requestId));
            } else {
                String type = errorType(request);
                readLimited(request, MAX_ERROR, body -> api.error(requestId, type, body),
                        () -> api.error(requestId, type, new byte[0]));
            }
        } else if (path.equals(BASE + "init/error")) {
            String type = errorType(request);
            readLimited(request, MAX_ERROR, body -> api.initError(type, body), () -> api.initError(type, new byte[0]));
        } else {
            answer(request, Answer.error(404, "NotFound", "No such Runtime API endpoint: " + path));
        }
    }

    /** Whether a request is a runtime's streamed response: what {@link #stream} takes, and RequestTrailers watches. */
    static boolean streamedResponse(String method, String path, String responseMode) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        return method.equals("POST") && "streaming".equalsIgnoreCase(responseMode) && bare.endsWith("/response")
                && INVOCATION.matcher(bare).matches();
    }

    /**
     * Hands a streamed response to the environment chunk by chunk, and its end with the error trailers if any.
     * Past the environment's limit the rest is dropped and the answer is a 413 at once, as for a buffered one.
     */
    private static void stream(HttpServerRequest request, StreamStart start) {
        switch (start) {
            case StreamStart.Refused refused -> {
                request.handler(ignored -> { });
                request.endHandler(ignored -> {
                    RequestTrailers.take(request.connection());
                    answer(request, refused.answer());
                });
            }
            case StreamStart.Open open -> {
                boolean[] overflow = {false};
                boolean[] ended = {false};
                Runnable aborted = () -> {
                    if (!ended[0]) {
                        ended[0] = true;
                        open.response().aborted();
                    }
                };
                request.exceptionHandler(e -> aborted.run());
                request.response().closeHandler(v -> aborted.run());
                io.vertx.core.Context context = Vertx.currentContext();
                request.handler(chunk -> {
                    if (overflow[0] || ended[0]) {
                        return; // past the limit, or broken off: what was still buffered goes nowhere
                    }
                    if (!open.response().chunk(chunk.getBytes())) {
                        overflow[0] = true;
                        answer(request, Answer.error(413, "RequestEntityTooLarge",
                                "Exceeded maximum allowed payload size for a streamed response."));
                        return;
                    }
                    java.util.concurrent.CompletableFuture<Void> ready = open.response().readyForMore()
                            .toCompletableFuture();
                    if (!ready.isDone()) {
                        // The caller lags behind the runtime: stop reading until it has caught up.
                        request.pause();
                        ready.whenComplete((v, e) -> context.runOnContext(x -> request.resume()));
                    }
                });
                request.endHandler(ignored -> {
                    Optional<io.netty.handler.codec.http.HttpHeaders> trailers =
                            RequestTrailers.take(request.connection());
                    if (ended[0]) {
                        return;
                    }
                    ended[0] = true;
                    if (!overflow[0]) {
                        answer(request, open.response().end(
                                trailers.map(t -> t.get(ERROR_TYPE_HEADER)),
                                trailers.map(t -> t.get(ERROR_BODY_TRAILER)).map(RuntimeApiServer::base64)));
                    }
                });
            }
        }
    }

    /** A trailer's base64 value; one that is not base64 is taken as it is. */
    private static byte[] base64(String value) {
        try {
            return java.util.Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String errorType(HttpServerRequest request) {
        String header = request.getHeader(ERROR_TYPE_HEADER);
        return header == null ? "" : header;
    }

    /**
     * Reads the body up to {@code limit} bytes and answers with {@code handler}'s verdict; past the limit, answers
     * {@code 413} at once, tells the environment through {@code tooLarge}, and drops the rest.
     */
    private static void readLimited(HttpServerRequest request, int limit,
                                    java.util.function.Function<byte[], Answer> handler,
                                    java.util.function.Supplier<Answer> tooLarge) {
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 18
                && Long.parseLong(declared) > limit) {
            tooLarge.get();
            answer(request, tooLargeAnswer(limit));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] overflow = {false};
        request.handler(chunk -> {
            if (overflow[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                overflow[0] = true;
                tooLarge.get();
                answer(request, tooLargeAnswer(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (!overflow[0]) {
                answer(request, handler.apply(body.getBytes()));
            }
        });
    }

    /** The answer to a body over {@code limit}: a response's (6 MB) or an error report's (1 MB). */
    private static Answer tooLargeAnswer(int limit) {
        return Answer.error(413, "RequestEntityTooLarge",
                "Exceeded maximum allowed payload size (" + limit + " bytes).");
    }

    private static void answer(HttpServerRequest request, Answer answer) {
        if (request.response().ended()) {
            return;
        }
        request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
                .end(answer.body());
    }
}
