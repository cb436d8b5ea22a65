package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.async.AsyncInvoker;
import dev.thunk.core.async.EventInvokeConfig;
import dev.thunk.core.async.EventInvokeConfigService;
import dev.thunk.core.async.EventInvokeConfigService.ConfigChange;

import java.util.List;
import java.util.Optional;

/**
 * Asynchronous invocation settings, {@code /2019-09-25/functions/{FunctionName}/event-invoke-config}, and Thunk's
 * own counters of the asynchronous path, {@code GET /thunk/async}.
 */
final class EventInvokeConfigRoutes {
    private static final String PATH = "/2019-09-25/functions/([^/]+)/event-invoke-config";

    private final EventInvokeConfigService configs;
    private final AsyncInvoker async;

    EventInvokeConfigRoutes(EventInvokeConfigService configs, AsyncInvoker async) {
        this.configs = configs;
        this.async = async;
    }

    List<Route> routes() {
        return List.of(
                Route.of("PUT", PATH + "/?", "PutFunctionEventInvokeConfig", this::put),
                Route.of("POST", PATH + "/?", "UpdateFunctionEventInvokeConfig", this::update),
                Route.of("GET", PATH + "/?", "GetFunctionEventInvokeConfig", this::get),
                Route.of("DELETE", PATH + "/?", "DeleteFunctionEventInvokeConfig", this::delete),
                Route.of("GET", PATH + "/list/?", "ListFunctionEventInvokeConfigs", this::list),
                Route.of("GET", "/thunk/async/?", "GetAsyncStats", this::stats));
    }

    private ApiResponse put(ApiRequest request) {
        return ApiResponse.json(200, render(configs.put(request.path(0), request.queryParam("Qualifier"),
                change(request.json()))));
    }

    private ApiResponse update(ApiRequest request) {
        return ApiResponse.json(200, render(configs.update(request.path(0), request.queryParam("Qualifier"),
                change(request.json()))));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, render(configs.get(request.path(0), request.queryParam("Qualifier"))));
    }

    private ApiResponse delete(ApiRequest request) {
        configs.delete(request.path(0), request.queryParam("Qualifier"));
        return ApiResponse.empty(204);
    }

    private ApiResponse list(ApiRequest request) {
        EventInvokeConfigService.Page page = configs.list(request.path(0), request.queryParam("Marker"),
                request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = out.putArray("FunctionEventInvokeConfigs");
        page.configs().forEach(c -> items.add(render(c)));
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        return ApiResponse.json(200, out);
    }

    private ApiResponse stats(ApiRequest request) {
        return ApiResponse.json(200, JsonRequest.MAPPER.valueToTree(async.stats()));
    }

    private static ConfigChange change(JsonRequest json) {
        Optional<JsonRequest> destinations = json.object("DestinationConfig");
        return new ConfigChange(json.integer("MaximumRetryAttempts"), json.integer("MaximumEventAgeInSeconds"),
                destination(destinations, "OnSuccess"), destination(destinations, "OnFailure"));
    }

    /** A destination named in the request; an empty one ({@code {}} or {@code ""}) removes it. */
    private static Optional<String> destination(Optional<JsonRequest> destinations, String field) {
        return destinations.flatMap(d -> d.object(field)).map(o -> o.string("Destination").orElse(""));
    }

    private ObjectNode render(EventInvokeConfig c) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        // A timestamp of the REST-JSON protocol: epoch seconds.
        out.put("LastModified", c.lastModified().toEpochMilli() / 1000.0);
        out.put("FunctionArn", configs.functionArn(c));
        c.maximumRetryAttempts().ifPresent(v -> out.put("MaximumRetryAttempts", v));
        c.maximumEventAgeInSeconds().ifPresent(v -> out.put("MaximumEventAgeInSeconds", v));
        ObjectNode destinations = out.putObject("DestinationConfig");
        ObjectNode onSuccess = destinations.putObject("OnSuccess");
        c.onSuccess().ifPresent(arn -> onSuccess.put("Destination", arn));
        ObjectNode onFailure = destinations.putObject("OnFailure");
        c.onFailure().ifPresent(arn -> onFailure.put("Destination", arn));
        return out;
    }
}
