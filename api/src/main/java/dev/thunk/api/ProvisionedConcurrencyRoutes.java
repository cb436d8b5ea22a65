package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.control.ProvisionedConcurrencyService;
import dev.thunk.core.control.ProvisionedConcurrencyService.ProvisionedConcurrency;
import dev.thunk.core.control.ProvisionedState;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Provisioned concurrency: {@code /2019-09-30/functions/{FunctionName}/provisioned-concurrency}; the list shares the
 * path and is told apart by {@code ?List=ALL}, as in AWS.
 */
final class ProvisionedConcurrencyRoutes {
    private static final String PATH = "/2019-09-30/functions/([^/]+)/provisioned-concurrency/?";
    /** AWS's LastModified of these configurations, e.g. {@code 2019-12-31T20:28:49+0000}. */
    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx").withZone(ZoneOffset.UTC);

    private final ProvisionedConcurrencyService provisioned;

    ProvisionedConcurrencyRoutes(ProvisionedConcurrencyService provisioned) {
        this.provisioned = provisioned;
    }

    List<Route> routes() {
        return List.of(
                Route.of("PUT", PATH, "PutProvisionedConcurrencyConfig", this::put),
                Route.of("GET", PATH, "GetProvisionedConcurrencyConfig", this::getOrList),
                Route.of("DELETE", PATH, "DeleteProvisionedConcurrencyConfig", this::delete));
    }

    private ApiResponse put(ApiRequest request) {
        ProvisionedConcurrency config = provisioned.put(request.path(0), request.queryParam("Qualifier"),
                request.json().integer("ProvisionedConcurrentExecutions"));
        return ApiResponse.json(202, render(config));
    }

    private ApiResponse getOrList(ApiRequest request) {
        if (request.queryParam("List").filter("ALL"::equals).isPresent()) {
            return list(request);
        }
        return ApiResponse.json(200, render(provisioned.get(request.path(0), request.queryParam("Qualifier"))));
    }

    private ApiResponse list(ApiRequest request) {
        ProvisionedConcurrencyService.Page page = provisioned.list(request.path(0), request.queryParam("Marker"),
                request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode items = out.putArray("ProvisionedConcurrencyConfigs");
        for (ProvisionedConcurrency config : page.configs()) {
            items.add(JsonNodeFactory.instance.objectNode().put("FunctionArn", provisioned.functionArn(config.config()))
                    .setAll(render(config)));
        }
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        return ApiResponse.json(200, out);
    }

    private ApiResponse delete(ApiRequest request) {
        provisioned.delete(request.path(0), request.queryParam("Qualifier"));
        return ApiResponse.empty(204);
    }

    private static ObjectNode render(ProvisionedConcurrency config) {
        ProvisionedState state = config.state();
        ObjectNode out = JsonNodeFactory.instance.objectNode()
                .put("RequestedProvisionedConcurrentExecutions", config.config().requested())
                .put("AvailableProvisionedConcurrentExecutions", state.available())
                .put("AllocatedProvisionedConcurrentExecutions", state.allocated())
                .put("Status", state.status().name());
        state.reason().ifPresent(reason -> out.put("StatusReason", reason));
        out.put("LastModified", LAST_MODIFIED.format(config.config().lastModified()));
        return out;
    }
}
