package dev.thunk.engine.runtimeapi;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** A parked {@code GET /next}: the long poll is answered once, from any thread, by {@link #deliver}. */
public final class NextCall {
    private final HttpServerRequest request;
    private final Context context;

    NextCall(HttpServerRequest request, Context context) {
        this.request = request;
        this.context = context;
    }

    /** False if the runtime is already gone (its connection closed while it waited). */
    public boolean open() {
        return !request.response().closed();
    }

    /** Refuses the call: the runtime asked for more work while it still owed an answer. */
    public void reject(Answer answer) {
        context.runOnContext(ignored -> {
            if (!request.response().ended()) {
                request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json")
                        .end(answer.body());
            }
        });
    }

    public void deliver(NextEvent event) {
        context.runOnContext(ignored -> {
            HttpServerResponse out = request.response();
            if (out.closed() || out.ended()) {
                return;
            }
            out.putHeader("Content-Type", "application/json")
                    .putHeader("Lambda-Runtime-Aws-Request-Id", event.requestId())
                    .putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(event.deadlineEpochMillis()))
                    .putHeader("Lambda-Runtime-Invoked-Function-Arn", event.invokedFunctionArn())
                    .putHeader("Lambda-Runtime-Trace-Id", event.traceId());
            event.clientContext().ifPresent(c -> out.putHeader("Lambda-Runtime-Client-Context", c));
            out.end(Buffer.buffer(event.payload()));
        });
    }
}
