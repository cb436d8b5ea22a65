package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Account;
import dev.thunk.core.control.VersionService;

import java.util.List;

/** PublishVersion and ListVersionsByFunction: {@code /2015-03-31/functions/{FunctionName}/versions}. */
final class VersionRoutes {
    private final VersionService versions;
    private final Account account;

    VersionRoutes(VersionService versions, Account account) {
        this.versions = versions;
        this.account = account;
    }

    List<Route> routes() {
        String path = "/2015-03-31/functions/([^/]+)/versions/?";
        return List.of(
                Route.of("POST", path, "PublishVersion", this::publish),
                Route.of("GET", path, "ListVersionsByFunction", this::list));
    }

    private ApiResponse publish(ApiRequest request) {
        JsonRequest json = request.json();
        return ApiResponse.json(201, FunctionJson.configuration(versions.publish(request.path(0),
                json.string("CodeSha256"), json.string("Description"), json.string("RevisionId")), account));
    }

    private ApiResponse list(ApiRequest request) {
        VersionService.VersionPage page = versions.list(request.path(0), request.queryParam("Marker"),
                request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("Versions");
        page.versions().forEach(v -> list.add(FunctionJson.configuration(v, account)));
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        return ApiResponse.json(200, out);
    }
}
