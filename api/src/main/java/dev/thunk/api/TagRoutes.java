package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.control.FunctionService;

import java.util.List;
import java.util.Map;

/** Tags of a resource: {@code /2017-03-31/tags/{ARN}}. */
final class TagRoutes {
    private final FunctionService functions;

    TagRoutes(FunctionService functions) {
        this.functions = functions;
    }

    List<Route> routes() {
        String path = "/2017-03-31/tags/([^/]+)/?";
        return List.of(
                Route.of("GET", path, "ListTags", this::list),
                Route.of("POST", path, "TagResource", this::tag),
                Route.of("DELETE", path, "UntagResource", this::untag));
    }

    private ApiResponse list(ApiRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode tags = out.putObject("Tags");
        functions.tags(request.path(0)).forEach(tags::put);
        return ApiResponse.json(200, out);
    }

    private ApiResponse tag(ApiRequest request) {
        Map<String, String> tags = request.json().stringMap("Tags").orElse(Map.of());
        functions.tag(request.path(0), tags);
        return ApiResponse.empty(204);
    }

    private ApiResponse untag(ApiRequest request) {
        functions.untag(request.path(0), request.queryParams("tagKeys"));
        return ApiResponse.empty(204);
    }
}
