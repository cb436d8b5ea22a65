package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Alias;
import dev.thunk.core.control.AliasService;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Aliases: {@code /2015-03-31/functions/{FunctionName}/aliases[/{Name}]}. */
final class AliasRoutes {
    private final AliasService aliases;

    AliasRoutes(AliasService aliases) {
        this.aliases = aliases;
    }

    List<Route> routes() {
        String all = "/2015-03-31/functions/([^/]+)/aliases/?";
        String one = "/2015-03-31/functions/([^/]+)/aliases/([^/]+)/?";
        return List.of(
                Route.of("POST", all, "CreateAlias", this::create),
                Route.of("GET", all, "ListAliases", this::list),
                Route.of("GET", one, "GetAlias", r -> ApiResponse.json(200, render(aliases.get(r.path(0), r.path(1))))),
                Route.of("PUT", one, "UpdateAlias", this::update),
                Route.of("DELETE", one, "DeleteAlias", this::delete));
    }

    private ApiResponse create(ApiRequest request) {
        JsonRequest json = request.json();
        Alias alias = aliases.create(request.path(0), json.string("Name").orElse(null), change(json));
        return ApiResponse.json(201, render(alias));
    }

    private ApiResponse update(ApiRequest request) {
        return ApiResponse.json(200, render(aliases.update(request.path(0), request.path(1), change(request.json()))));
    }

    private ApiResponse delete(ApiRequest request) {
        aliases.delete(request.path(0), request.path(1));
        return ApiResponse.empty(204);
    }

    private ApiResponse list(ApiRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("Aliases");
        aliases.list(request.path(0), request.queryParam("FunctionVersion")).forEach(a -> list.add(render(a)));
        return ApiResponse.json(200, out);
    }

    private static AliasService.AliasChange change(JsonRequest json) {
        Optional<Map<String, Double>> weights = json.object("RoutingConfig")
                .map(routing -> routing.numberMap("AdditionalVersionWeights").orElse(Map.of()));
        return new AliasService.AliasChange(json.string("FunctionVersion"), json.string("Description"), weights,
                json.string("RevisionId"));
    }

    private ObjectNode render(Alias alias) {
        ObjectNode out = JsonNodeFactory.instance.objectNode()
                .put("AliasArn", aliases.arn(alias.functionName(), alias.name()))
                .put("Name", alias.name())
                .put("FunctionVersion", alias.functionVersion())
                .put("Description", alias.description());
        if (!alias.additionalVersionWeights().isEmpty()) {
            ObjectNode weights = out.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            new LinkedHashMap<>(alias.additionalVersionWeights()).forEach(weights::put);
        }
        return out.put("RevisionId", alias.revisionId());
    }
}
