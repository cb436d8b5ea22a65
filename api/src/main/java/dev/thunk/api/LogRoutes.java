package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.thunk.core.LambdaException;
import dev.thunk.core.logs.FunctionLogs;

import java.util.List;

/**
 * A function's logs as newline-delimited JSON, one object per line ({@code timestamp}, {@code logStreamName},
 * {@code message}): {@code GET /thunk/logs/{FunctionName}?start=<epoch ms>&follow=true}. Thunk's own path (AWS
 * serves logs from CloudWatch Logs); {@code thunk logs} reads it.
 */
final class LogRoutes {
    private final FunctionLogs logs;

    LogRoutes(FunctionLogs logs) {
        this.logs = logs;
    }

    List<Route> routes() {
        return List.of(Route.streaming("GET", "/thunk/logs/([a-zA-Z0-9_-]{1,64})/?", "GetLogs", this::read));
    }

    private void read(ApiRequest request, StreamingOperation.ResponseStream out) {
        long start = request.queryParam("start").map(LogRoutes::millis).orElse(0L);
        boolean follow = request.queryParam("follow").map(Boolean::parseBoolean).orElse(false);
        boolean found = logs.read(request.path(0), start, follow, event -> {
            if (event != null) {
                out.write(JsonNodeFactory.instance.objectNode()
                        .put("timestamp", event.timestamp())
                        .put("logStreamName", event.logStreamName())
                        .put("message", event.message()) + "\n");
            }
            return out.open();
        });
        if (!found) {
            throw LambdaException.notFound("The specified log group does not exist: /aws/lambda/" + request.path(0));
        }
    }

    private static long millis(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw LambdaException.invalidParameter("start must be epoch milliseconds: " + value);
        }
    }
}
