package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.control.ConcurrencyService;

import java.util.List;
import java.util.OptionalInt;

/** Reserved concurrency: {@code /2017-10-31|2019-09-30/functions/{FunctionName}/concurrency}. */
final class ConcurrencyRoutes {
    private final ConcurrencyService concurrency;

    ConcurrencyRoutes(ConcurrencyService concurrency) {
        this.concurrency = concurrency;
    }

    List<Route> routes() {
        return List.of(
                Route.of("PUT", "/2017-10-31/functions/([^/]+)/concurrency/?", "PutFunctionConcurrency", this::put),
                Route.of("GET", "/2019-09-30/functions/([^/]+)/concurrency/?", "GetFunctionConcurrency", this::get),
                Route.of("DELETE", "/2017-10-31/functions/([^/]+)/concurrency/?", "DeleteFunctionConcurrency",
                        this::delete));
    }

    private ApiResponse put(ApiRequest request) {
        int reserved = concurrency.put(request.path(0), request.json().integer("ReservedConcurrentExecutions"));
        return ApiResponse.json(200, JsonNodeFactory.instance.objectNode().put("ReservedConcurrentExecutions", reserved));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, render(concurrency.get(request.path(0))));
    }

    private ApiResponse delete(ApiRequest request) {
        concurrency.delete(request.path(0));
        return ApiResponse.empty(204);
    }

    /** {@code {"ReservedConcurrentExecutions": N}}, or {@code {}} when none is set, as AWS answers. */
    static ObjectNode render(OptionalInt reserved) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        reserved.ifPresent(value -> out.put("ReservedConcurrentExecutions", value));
        return out;
    }
}
