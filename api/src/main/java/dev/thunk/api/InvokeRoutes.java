package dev.thunk.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Validation;
import dev.thunk.core.async.AsyncInvoker;
import dev.thunk.core.invoke.InvocationResult;
import dev.thunk.core.invoke.InvokeRequest;
import dev.thunk.core.invoke.Invoker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Invoke: {@code POST /2015-03-31/functions/{FunctionName}/invocations}. */
final class InvokeRoutes {
    /** AWS's limit on a synchronous invocation's payload. */
    static final int MAX_SYNC_PAYLOAD = 6_291_456;
    /** AWS's limit on an asynchronous invocation's payload. */
    static final int MAX_ASYNC_PAYLOAD = 1_048_576;
    static final int MAX_CLIENT_CONTEXT = 3583;
    static final String STREAMING_NAME = "InvokeWithResponseStream";
    private static final List<String> INVOCATION_TYPES = List.of("Event", "RequestResponse", "DryRun");
    private static final List<String> LOG_TYPES = List.of("None", "Tail");

    private final Invoker invoker;
    private final AsyncInvoker async;

    InvokeRoutes(Invoker invoker, AsyncInvoker async) {
        this.invoker = invoker;
        this.async = async;
    }

    List<Route> routes() {
        return List.of(Route.async("POST", "/2015-03-31/functions/([^/]+)/invocations/?", "InvokeFunction",
                        this::invoke).withMaxBody(MAX_SYNC_PAYLOAD),
                Route.asyncStreaming("POST", "/2021-11-15/functions/([^/]+)/response-streaming-invocations/?",
                        STREAMING_NAME, new ResponseStreamInvoke(invoker)::invoke).withMaxBody(MAX_SYNC_PAYLOAD));
    }

    /** Runs on the event loop: checks the request, then hands it to the engine without waiting. */
    private CompletionStage<ApiResponse> invoke(ApiRequest request) {
        String type = invocationType(request, INVOCATION_TYPES);
        if (type.equals("Event") && request.body().length > MAX_ASYNC_PAYLOAD) {
            throw new LambdaException(ErrorCode.RequestEntityTooLargeException, "Request must be smaller than "
                    + MAX_ASYNC_PAYLOAD + " bytes for the InvokeFunction operation");
        }
        InvokeRequest invoke = parse(request);
        return switch (type) {
            case "DryRun" -> invoker.dryRun(invoke).thenApply(ignored -> ApiResponse.empty(204));
            // 202 only once the event is committed: an acknowledged event survives a killed server.
            case "Event" -> async.enqueue(invoke).thenApply(ignored -> ApiResponse.empty(202)
                    .withHeader("x-amzn-RequestId", invoke.requestId()));
            default -> invoker.invoke(invoke).thenApply(InvokeRoutes::render);
        };
    }

    /** The request's {@code X-Amz-Invocation-Type}, one of {@code allowed}, with its log type checked too. */
    static String invocationType(ApiRequest request, List<String> allowed) {
        String type = request.header("X-Amz-Invocation-Type").orElse("RequestResponse");
        new Validation()
                .oneOf("invocationType", type, allowed)
                .oneOf("logType", request.header("X-Amz-Log-Type").orElse("None"), LOG_TYPES)
                .check();
        return type;
    }

    /** The invocation a request asks for, its payload and client context checked as AWS checks them. */
    static InvokeRequest parse(ApiRequest request) {
        byte[] payload = request.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : request.body();
        checkJson(payload);
        return new InvokeRequest(UUID.randomUUID().toString(), request.path(0), request.queryParam("Qualifier"),
                payload, clientContext(request), request.header("X-Amz-Log-Type").orElse("None").equals("Tail"));
    }

    private static ApiResponse render(InvocationResult result) {
        ApiResponse response = switch (result) {
            case InvocationResult.Success s -> new ApiResponse(200, Map.of("Content-Type", "application/json"),
                    s.payload());
            case InvocationResult.Failure f -> new ApiResponse(200, Map.of("Content-Type", "application/json"),
                    f.payload()).withHeader("X-Amz-Function-Error", "Unhandled");
        };
        response = response.withHeader("X-Amz-Executed-Version", result.executedVersion())
                .withHeader("x-amzn-RequestId", result.requestId());
        if (result.logTail().isPresent()) {
            response = response.withHeader("X-Amz-Log-Result", result.logTail().get());
        }
        return response;
    }

    /** The client context travels base64-encoded; the runtime receives the decoded JSON. */
    private static Optional<String> clientContext(ApiRequest request) {
        Optional<String> header = request.header("X-Amz-Client-Context");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        if (header.get().length() > MAX_CLIENT_CONTEXT) {
            throw new LambdaException(ErrorCode.InvalidRequestContentException,
                    "Client context must be smaller than " + MAX_CLIENT_CONTEXT + " bytes.");
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.get());
            checkJsonObject(decoded);
            return Optional.of(new String(decoded, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorCode.InvalidRequestContentException,
                    "Client context must be a valid Base64-encoded JSON object.");
        }
    }

    private static void checkJson(byte[] payload) {
        if (!JsonRequest.isUtf8(payload)) {
            throw new LambdaException(ErrorCode.InvalidRequestContentException,
                    "Could not parse request body into json: Could not parse payload into json: "
                            + "Invalid UTF-8 in the payload");
        }
        try (JsonParser parser = JsonRequest.MAPPER.getFactory().createParser(payload)) {
            while (parser.nextToken() != null) {
                // Reading every token validates the document without building it.
            }
        } catch (JsonProcessingException e) {
            throw new LambdaException(ErrorCode.InvalidRequestContentException,
                    "Could not parse request body into json: Could not parse payload into json: "
                            + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LambdaException(ErrorCode.InvalidRequestContentException,
                    "Could not parse request body into json: " + e.getMessage());
        }
    }

    private static void checkJsonObject(byte[] json) {
        try (JsonParser parser = JsonRequest.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
