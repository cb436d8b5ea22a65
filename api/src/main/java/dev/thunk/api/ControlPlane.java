package dev.thunk.api;

import dev.thunk.api.sigv4.Authenticator;
import dev.thunk.api.sigv4.SignedRequest;
import dev.thunk.core.CodeStore;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;
import dev.thunk.core.access.Caller;
import dev.thunk.core.access.PolicyService;
import dev.thunk.core.async.AsyncInvoker;
import dev.thunk.core.async.EventInvokeConfigService;
import dev.thunk.core.control.AliasService;
import dev.thunk.core.control.ConcurrencyService;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.control.LayerService;
import dev.thunk.core.control.ProvisionedConcurrencyService;
import dev.thunk.core.control.VersionService;
import dev.thunk.core.invoke.Invoker;
import dev.thunk.core.logs.FunctionLogs;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Lambda control-plane listener. Each request is routed on the event loop, its body read there within the
 * route's size limit, its signature checked there, and its operation run on a virtual thread (operations may
 * block on the store); the answer is written back on the request's own context. A request from another account
 * than the functions' is authorised on a virtual thread first (policies live in the store). Start with
 * {@link #listen}, stop by closing the returned server.
 */
public final class ControlPlane {
    /**
     * How far past its limit a body is read (and dropped) before the 413 is sent, so that ordinary clients, which
     * read no answer until they have sent everything, see it. Beyond that the connection is closed at once.
     */
    static final long DRAIN_LIMIT = 16L << 20;

    /**
     * How requests prove who sent them and what they may do: the authenticator (SigV4, or none with
     * {@code --no-auth}), the policies that open functions to other accounts, and how package links are made.
     */
    public record Access(Authenticator authenticator, PolicyService policies, CodeLinks links) {
    }

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(ControlPlane.class.getName());

    private final Router router;
    private final Authenticator authenticator;
    private final AccessControl accessControl;
    private final ExecutorService operations = Executors.newVirtualThreadPerTaskExecutor();

    private ControlPlane(List<Route> routes, Authenticator authenticator, AccessControl accessControl) {
        this.router = new Router(routes);
        this.authenticator = authenticator;
        this.accessControl = accessControl;
    }

    /** The routes of the control plane for these services, plus any extra (for later resources). */
    public static ControlPlane create(FunctionService functions, VersionService versions, AliasService aliases,
                                      ConcurrencyService concurrency, ProvisionedConcurrencyService provisioned,
                                      LayerService layers, EventInvokeConfigService eventConfigs, CodeStore code,
                                      Invoker invoker, AsyncInvoker async, FunctionLogs logs, Access access,
                                      List<Route> extra) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new FunctionRoutes(functions, concurrency, access.links()).routes());
        routes.addAll(new VersionRoutes(versions, functions.account()).routes());
        routes.addAll(new AliasRoutes(aliases).routes());
        routes.addAll(new LayerRoutes(layers, access.links()).routes());
        routes.addAll(new PolicyRoutes(access.policies()).routes());
        routes.addAll(new InvokeRoutes(invoker, async).routes());
        routes.addAll(new EventInvokeConfigRoutes(eventConfigs, async).routes());
        routes.addAll(new LogRoutes(logs).routes());
        routes.addAll(new TagRoutes(functions).routes());
        routes.addAll(new ConcurrencyRoutes(concurrency).routes());
        routes.addAll(new ProvisionedConcurrencyRoutes(provisioned).routes());
        routes.addAll(new AccountRoutes(functions, concurrency).routes());
        routes.addAll(new CodeRoutes(code).routes());
        routes.addAll(extra);
        return new ControlPlane(routes, access.authenticator(), new AccessControl(access.policies()));
    }

    public Future<HttpServer> listen(Vertx vertx, String host, int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                // AWS endpoints speak HTTP/1.1 in the clear; an h2c upgrade would only add limits of its own.
                .setHttp2ClearTextEnabled(false)
                // HTTP clients (the AWS SDK's Apache client among them) may wait for "100 Continue" before a body.
                .setHandle100ContinueAutomatically(true)
                // Long names and hostile paths must reach the router to get an AWS error, not a bare 414.
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(64 * 1024);
        return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        Router.Match match;
        try {
            match = router.match(request.method().name(), request.path())
                    .orElseThrow(() -> new LambdaException(ErrorCode.UnknownOperationException,
                            "Unknown operation: " + request.method().name() + " " + request.path()));
        } catch (LambdaException e) {
            answer(request, AwsErrors.render(e), true);
            return;
        }
        Route route = match.route();
        long declared = parseLength(request.getHeader("Content-Length"));
        if (declared > route.maxBody() + DRAIN_LIMIT) {
            answer(request, tooLarge(route), true);
            return;
        }
        Buffer body = Buffer.buffer();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] <= route.maxBody()) {
                body.appendBuffer(chunk);
            } else if (received[0] > route.maxBody() + DRAIN_LIMIT) {
                answer(request, tooLarge(route), true);
            }
        });
        request.exceptionHandler(e -> { /* the connection is gone; nothing to answer */ });
        request.endHandler(v -> {
            if (received[0] > route.maxBody()) {
                // Answered only now, after the whole body: a client still sending could not read an early answer.
                answer(request, tooLarge(route), false);
                return;
            }
            byte[] bytes = body.getBytes();
            ApiRequest apiRequest = toApiRequest(request, match.params(), bytes);
            Caller caller;
            try {
                caller = authenticator.authenticate(toSignedRequest(request, bytes));
            } catch (RuntimeException e) {
                // A refused request goes no further: it changes nothing.
                answer(request, rendered(route, e), false);
                return;
            }
            if (accessControl.owns(caller)) {
                dispatch(route, apiRequest, request, context);
                return;
            }
            String rawPath = request.path();
            operations.execute(() -> {
                try {
                    accessControl.authorize(caller, route, rawPath, apiRequest);
                } catch (RuntimeException e) {
                    ApiResponse refusal = rendered(route, e);
                    context.runOnContext(ignored -> answer(request, refusal, false));
                    return;
                }
                context.runOnContext(ignored -> dispatch(route, apiRequest, request, context));
            });
        });
    }

    /** Runs an authorised request's operation where its kind runs and answers with its result. */
    private void dispatch(Route route, ApiRequest apiRequest, HttpServerRequest request, Context context) {
        switch (route.handler()) {
            case Route.Blocking blocking -> operations.execute(() -> {
                ApiResponse response = run(route, blocking.operation(), apiRequest);
                context.runOnContext(ignored -> answer(request, response, false));
            });
            case Route.Async async -> {
                Thread eventLoop = Thread.currentThread();
                runAsync(route, async.operation(), apiRequest).whenComplete((response, failure) -> {
                    ApiResponse answer = failure == null ? response : rendered(route, failure);
                    // An invocation is completed by its runtime's POST /response, handled on this same event loop
                    // when there is one: answering at once puts the caller's response on the wire before the
                    // runtime's 202, instead of queueing it behind that write as runOnContext would.
                    if (Thread.currentThread() == eventLoop) {
                        answer(request, answer, false);
                    } else {
                        context.runOnContext(ignored -> answer(request, answer, false));
                    }
                });
            }
            case Route.Streaming streaming -> streamAsync(route, (req, out) -> java.util.concurrent.CompletableFuture
                    .runAsync(() -> runNdjson(streaming.operation(), req, out), operations), apiRequest, request,
                    context);
            case Route.AsyncStreaming streaming -> streamAsync(route, streaming.operation(), apiRequest, request,
                    context);
        }
    }

    /**
     * Runs an operation that streams its answer from whatever thread produces it: every write goes through the
     * request's context, in the order the calls were made (the operation orders calls from different threads); the
     * first {@code begin} counts. A failure before the answer began is rendered, one after it ends the body.
     */
    private static void streamAsync(Route route, Route.AsyncStreamingOperation operation, ApiRequest apiRequest,
                                    HttpServerRequest request, Context context) {
        HttpServerResponse out = request.response();
        java.util.concurrent.atomic.AtomicBoolean begun = new java.util.concurrent.atomic.AtomicBoolean();
        InOrder inOrder = new InOrder(context);
        CallerPace pace = new CallerPace();
        Route.StreamedAnswer answer = new Route.StreamedAnswer() {
            @Override
            public void begin(int status, Map<String, String> headers) {
                if (!begun.compareAndSet(false, true)) {
                    return;
                }
                inOrder.run(() -> {
                    if (out.closed() || out.ended()) {
                        return;
                    }
                    out.setStatusCode(status).setChunked(true);
                    headers.forEach(out::putHeader);
                });
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> send(byte[] bytes) {
                java.util.concurrent.CompletionStage<Void> ready = pace.nextSend();
                inOrder.run(() -> {
                    if (out.closed() || out.ended()) {
                        pace.release();
                        return;
                    }
                    out.write(Buffer.buffer(bytes));
                    if (out.writeQueueFull() && pace.startsLagging()) {
                        // Room again, or the caller gone: either way the producer may go on.
                        out.drainHandler(v -> pace.release());
                        out.closeHandler(v -> pace.release());
                    }
                });
                return ready;
            }

            @Override
            public boolean open() {
                return !out.closed();
            }
        };
        java.util.concurrent.CompletionStage<Void> done;
        try {
            done = operation.handle(apiRequest, answer);
        } catch (RuntimeException | Error e) {
            done = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        done.whenComplete((ignored, failure) -> inOrder.run(() -> {
            if (failure != null && !begun.get()) {
                answer(request, rendered(route, failure), false);
            } else if (!out.ended() && !out.closed()) {
                if (failure != null) {
                    LOG.log(java.util.logging.Level.WARNING, route.name() + " failed after its answer began", failure);
                }
                out.end();
            }
            pace.release(); // nothing more will drain or close: no producer may wait on it
        }));
    }

    /** What the signature covers, as it arrived: raw path and query, every header value, the body. */
    private static SignedRequest toSignedRequest(HttpServerRequest request, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        request.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(e.getValue()));
        String query = request.query();
        return new SignedRequest(request.method().name(), request.path(), query == null ? "" : query, headers, body);
    }

    private static ApiResponse run(Route route, Operation operation, ApiRequest request) {
        try {
            return operation.handle(request);
        } catch (RuntimeException | Error e) {
            return rendered(route, e);
        }
    }

    private static java.util.concurrent.CompletionStage<ApiResponse> runAsync(Route route,
                                                                             Route.AsyncOperation operation,
                                                                             ApiRequest request) {
        try {
            return operation.handle(request);
        } catch (RuntimeException | Error e) {
            return java.util.concurrent.CompletableFuture.completedFuture(rendered(route, e));
        }
    }

    /** A failure as the caller sees it: the AWS error it carries, or a ServiceException for Thunk's own faults. */
    private static ApiResponse rendered(Route route, Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof LambdaException e ? AwsErrors.render(e) : AwsErrors.unexpected(route.name(), cause);
    }

    /**
     * Runs a blocking streaming operation (on a virtual thread) as an NDJSON answer: the first chunk begins it, and an
     * operation that wrote none still answers 200 with the type. Its chunks go as they come, without waiting for the
     * caller, as it checks {@code open()} itself.
     */
    private static void runNdjson(StreamingOperation operation, ApiRequest apiRequest, Route.StreamedAnswer out) {
        operation.handle(apiRequest, new StreamingOperation.ResponseStream() {
            @Override
            public void write(String chunk) {
                out.begin(200, NDJSON);
                out.send(chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public boolean open() {
                return out.open();
            }
        });
        out.begin(200, NDJSON);
    }

    private static final Map<String, String> NDJSON = Map.of("Content-Type", "application/x-ndjson");

    private static ApiRequest toApiRequest(HttpServerRequest request, List<String> params, byte[] body) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        request.params().forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(e -> headers.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        String host = request.getHeader("Host");
        String baseUrl = "http://" + (host != null ? host : request.localAddress().host() + ":" + request.localAddress().port());
        return new ApiRequest(request.method().name(), params, query, headers, body, baseUrl);
    }

    private static void answer(HttpServerRequest request, ApiResponse response, boolean closeAfter) {
        HttpServerResponse out = request.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.status());
        response.headers().forEach(out::putHeader);
        if (!out.headers().contains("x-amzn-RequestId")) {
            out.putHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        }
        if (closeAfter) {
            // The body was not read: the connection cannot carry another request.
            out.putHeader("Connection", "close");
            out.end(Buffer.buffer(response.body())).onComplete(ignored -> request.connection().close());
        } else {
            out.end(Buffer.buffer(response.body()));
        }
    }

    private static ApiResponse tooLarge(Route route) {
        return AwsErrors.render(new LambdaException(ErrorCode.RequestEntityTooLargeException,
                "Request must be smaller than " + route.maxBody() + " bytes for the " + route.name() + " operation"));
    }

    private static long parseLength(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public void close() {
        operations.close();
    }

    /**
     * Runs tasks on a context's event loop in the order they were given: at once when given on that loop with nothing
     * queued before them (no hop for the common case), else queued behind the others. Callers must not give tasks
     * from two threads at the same time.
     */
    private static final class InOrder {
        private final Context context;
        private final Thread loop;
        private final java.util.concurrent.atomic.AtomicInteger queued =
                new java.util.concurrent.atomic.AtomicInteger();

        InOrder(Context context) {
            this.context = context;
            this.loop = Thread.currentThread();
        }

        void run(Runnable task) {
            if (Thread.currentThread() == loop && queued.get() == 0) {
                task.run();
                return;
            }
            queued.incrementAndGet();
            context.runOnContext(ignored -> {
                try {
                    task.run();
                } finally {
                    queued.decrementAndGet();
                }
            });
        }
    }
}
