package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.access.AddPermission;
import dev.thunk.core.access.FunctionPolicy;
import dev.thunk.core.access.PolicyService;
import dev.thunk.core.access.PolicyStatement;

import java.util.List;

/**
 * A function's resource-based policy: AddPermission, GetPolicy and RemovePermission under
 * {@code /2015-03-31/functions/{FunctionName}/policy}. Statements and policies travel as JSON documents inside
 * JSON strings, written the way AWS writes them.
 */
final class PolicyRoutes {
    private static final String PATH = "/2015-03-31/functions/([^/]+)/policy";

    private final PolicyService policies;

    PolicyRoutes(PolicyService policies) {
        this.policies = policies;
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", PATH + "/?", "AddPermission", this::add),
                Route.of("GET", PATH + "/?", "GetPolicy", this::get),
                Route.of("DELETE", PATH + "/([^/]+)/?", "RemovePermission", this::remove));
    }

    private ApiResponse add(ApiRequest request) {
        JsonRequest json = request.json();
        PolicyStatement statement = policies.addPermission(request.path(0), new AddPermission(
                json.string("StatementId").orElse(null), json.string("Action").orElse(null),
                json.string("Principal").orElse(null), json.string("SourceArn"), json.string("SourceAccount"),
                json.string("FunctionUrlAuthType"), request.queryParam("Qualifier"), json.string("RevisionId")));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("Statement", document(statement).toString());
        return ApiResponse.json(201, out);
    }

    private ApiResponse get(ApiRequest request) {
        FunctionPolicy policy = policies.getPolicy(request.path(0), request.queryParam("Qualifier"));
        ObjectNode document = JsonNodeFactory.instance.objectNode().put("Version", "2012-10-17").put("Id", "default");
        ArrayNode statements = document.putArray("Statement");
        policy.statements().forEach(s -> statements.add(document(s)));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("Policy", document.toString());
        out.put("RevisionId", policy.revisionId());
        return ApiResponse.json(200, out);
    }

    private ApiResponse remove(ApiRequest request) {
        policies.removePermission(request.path(0), request.path(1), request.queryParam("Qualifier"),
                request.queryParam("RevisionId"));
        return ApiResponse.empty(204);
    }

    /** A statement as IAM writes it: principal by kind, conditions grouped by operator. */
    static ObjectNode document(PolicyStatement s) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("Sid", s.sid()).put("Effect", "Allow");
        switch (s.principalKind()) {
            case ANYONE -> out.put("Principal", "*");
            case AWS -> out.putObject("Principal").put("AWS", s.principal());
            case SERVICE -> out.putObject("Principal").put("Service", s.principal());
        }
        out.put("Action", s.action()).put("Resource", s.resource());
        ObjectNode condition = JsonNodeFactory.instance.objectNode();
        s.sourceAccount().ifPresent(a -> object(condition, "StringEquals").put("AWS:SourceAccount", a));
        s.functionUrlAuthType().ifPresent(t -> object(condition, "StringEquals").put("lambda:FunctionUrlAuthType", t));
        s.sourceArn().ifPresent(arn -> object(condition, "ArnLike").put("AWS:SourceArn", arn));
        if (!condition.isEmpty()) {
            out.set("Condition", condition);
        }
        return out;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.has(field) ? (ObjectNode) parent.get(field) : parent.putObject(field);
    }
}
