package dev.thunk.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.core.invoke.InvokeRequest;
import dev.thunk.core.invoke.Invoker;
import dev.thunk.core.invoke.ResponseObserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * InvokeWithResponseStream: {@code POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations}.
 * The answer is an event stream: a {@code PayloadChunk} event per chunk the function's runtime streams (or one with
 * the whole answer of a function that answers in one piece), then an {@code InvokeComplete} event with the error, if
 * any, and the log tail when asked for. A function error is not an HTTP error here: the stream has begun by then;
 * {@code InvokeComplete} carries the error's {@code errorType} as {@code ErrorCode} and its {@code errorMessage} as
 * {@code ErrorDetails}.
 */
final class ResponseStreamInvoke {
    private static final List<String> INVOCATION_TYPES = List.of("RequestResponse", "DryRun");
    /** A function that answers in one piece answers JSON, as through Invoke. */
    private static final String WHOLE_ANSWER_TYPE = "application/json";

    private final Invoker invoker;

    ResponseStreamInvoke(Invoker invoker) {
        this.invoker = invoker;
    }

    /** Runs on the event loop: checks the request and starts the invocation without waiting. */
    CompletionStage<Void> invoke(ApiRequest request, Route.StreamedAnswer out) {
        String type = InvokeRoutes.invocationType(request, INVOCATION_TYPES);
        InvokeRequest invoke = InvokeRoutes.parse(request);
        if (type.equals("DryRun")) {
            return invoker.dryRun(invoke).thenAccept(ignored -> out.begin(204, Map.of("x-amzn-RequestId",
                    invoke.requestId())));
        }
        Events events = new Events(invoke, out);
        CompletableFuture<InvocationResult> result = invoker.invokeStreaming(invoke, events);
        return result.thenAccept(events::complete);
    }

    /**
     * One invocation's events, in order. Chunks come on the environment's event loop; the end can come on another
     * thread (a timeout, the process exiting): nothing is sent after {@code InvokeComplete}.
     */
    private static final class Events implements ResponseObserver {
        private final InvokeRequest invoke;
        private final Route.StreamedAnswer out;
        private boolean completed;

        Events(InvokeRequest invoke, Route.StreamedAnswer out) {
            this.invoke = invoke;
            this.out = out;
        }

        @Override
        public synchronized void streamStarted(String contentType, String executedVersion) {
            if (!completed) {
                out.begin(200, headers(invoke, contentType, executedVersion));
            }
        }

        @Override
        public synchronized CompletionStage<Void> chunk(byte[] bytes) {
            return completed ? CompletableFuture.completedFuture(null) : out.send(payloadChunk(bytes));
        }

        synchronized void complete(InvocationResult ended) {
            completed = true;
            out.begin(200, headers(invoke, WHOLE_ANSWER_TYPE, ended.executedVersion()));
            if (ended instanceof InvocationResult.Success s && s.payload().length > 0) {
                out.send(payloadChunk(s.payload()));
            }
            out.send(ResponseStreamInvoke.complete(ended));
        }
    }

    private static Map<String, String> headers(InvokeRequest invoke, String contentType, String executedVersion) {
        Map<String, String> headers = new LinkedHashMap<>();
        // The model puts the stream's content type (ResponseStreamContentType) in Content-Type.
        headers.put("Content-Type", contentType);
        headers.put("X-Amz-Executed-Version", executedVersion);
        headers.put("x-amzn-RequestId", invoke.requestId());
        return headers;
    }

    static byte[] payloadChunk(byte[] bytes) {
        return EventStreamMessage.event("PayloadChunk", "application/octet-stream", bytes);
    }

    static byte[] complete(InvocationResult result) {
        ObjectNode complete = JsonRequest.MAPPER.createObjectNode();
        if (result instanceof InvocationResult.Failure f) {
            JsonNode error = parsed(f.payload());
            complete.put("ErrorCode", error.path("errorType").isTextual() ? error.get("errorType").asText()
                    : f.errorType());
            complete.put("ErrorDetails", error.path("errorMessage").isTextual() ? error.get("errorMessage").asText()
                    : new String(f.payload(), StandardCharsets.UTF_8));
        }
        result.logTail().ifPresent(tail -> complete.put("LogResult", tail));
        return EventStreamMessage.event("InvokeComplete", "application/json",
                complete.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The error JSON, or a missing node when the payload is not JSON. */
    private static JsonNode parsed(byte[] payload) {
        try {
            JsonNode error = JsonRequest.MAPPER.readTree(payload);
            return error == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : error;
        } catch (IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
