package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Account;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.control.CodeSource;
import dev.thunk.core.control.ConfigChange;
import dev.thunk.core.control.ConcurrencyService;
import dev.thunk.core.control.CreateFunction;
import dev.thunk.core.control.FunctionPage;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.control.UpdateFunctionCode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The function resource: {@code /2015-03-31/functions[/{FunctionName}[/code|/configuration]]}. */
final class FunctionRoutes {
    /** AWS's request limit for operations that carry a package inline (base64 of 50 MiB, plus the rest). */
    static final long MAX_CODE_REQUEST = 70_167_211L;
    private static final String NAME = "([^/]+)";

    private final FunctionService functions;
    private final ConcurrencyService concurrency;
    private final Account account;
    private final CodeLinks links;

    FunctionRoutes(FunctionService functions, ConcurrencyService concurrency, CodeLinks links) {
        this.functions = functions;
        this.concurrency = concurrency;
        this.links = links;
        this.account = functions.account();
    }

    List<Route> routes() {
        return List.of(
                Route.of("POST", "/2015-03-31/functions/?", "CreateFunction", this::create).withMaxBody(MAX_CODE_REQUEST),
                Route.of("GET", "/2015-03-31/functions/?", "ListFunctions", this::list),
                Route.of("GET", "/2015-03-31/functions/" + NAME + "/?", "GetFunction", this::get),
                Route.of("GET", "/2015-03-31/functions/" + NAME + "/configuration/?", "GetFunctionConfiguration",
                        this::getConfiguration),
                Route.of("PUT", "/2015-03-31/functions/" + NAME + "/code/?", "UpdateFunctionCode", this::updateCode)
                        .withMaxBody(MAX_CODE_REQUEST),
                Route.of("PUT", "/2015-03-31/functions/" + NAME + "/configuration/?", "UpdateFunctionConfiguration",
                        this::updateConfiguration),
                Route.of("DELETE", "/2015-03-31/functions/" + NAME + "/?", "DeleteFunction", this::delete));
    }

    private ApiResponse create(ApiRequest request) {
        JsonRequest json = request.json();
        CreateFunction command = new CreateFunction(
                json.string("FunctionName").orElse(null),
                configChange(json),
                codeSource(json.object("Code").orElse(JsonRequest.parse(new byte[0]))),
                json.stringList("Architectures"),
                json.stringMap("Tags").orElse(Map.of()),
                json.string("PackageType"),
                json.bool("Publish").orElse(false));
        return ApiResponse.json(201, FunctionJson.configuration(functions.create(command), account));
    }

    private ApiResponse list(ApiRequest request) {
        FunctionPage page = functions.list(request.queryParam("Marker"), request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("Functions");
        page.functions().forEach(f -> list.add(FunctionJson.configuration(f, account)));
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        return ApiResponse.json(200, out);
    }

    private ApiResponse get(ApiRequest request) {
        FunctionVersion f = functions.get(request.path(0), request.queryParam("Qualifier"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("Configuration", FunctionJson.configuration(f, account));
        out.putObject("Code").put("RepositoryType", "S3")
                .put("Location", links.location(request.baseUrl(), f.code().blobId()));
        Map<String, String> tags = functions.tags(account.functionArn(f.name()));
        if (!tags.isEmpty()) {
            ObjectNode tagNode = out.putObject("Tags");
            tags.forEach(tagNode::put);
        }
        OptionalInt reserved = concurrency.get(f.name());
        if (reserved.isPresent()) {
            out.set("Concurrency", ConcurrencyRoutes.render(reserved));
        }
        return ApiResponse.json(200, out);
    }

    private ApiResponse getConfiguration(ApiRequest request) {
        FunctionVersion f = functions.get(request.path(0), request.queryParam("Qualifier"));
        return ApiResponse.json(200, FunctionJson.configuration(f, account));
    }

    private ApiResponse updateCode(ApiRequest request) {
        JsonRequest json = request.json();
        UpdateFunctionCode command = new UpdateFunctionCode(codeSource(json), json.stringList("Architectures"),
                json.string("RevisionId"), json.bool("DryRun").orElse(false), json.bool("Publish").orElse(false));
        return ApiResponse.json(200,
                FunctionJson.configuration(functions.updateCode(request.path(0), command), account));
    }

    private ApiResponse updateConfiguration(ApiRequest request) {
        JsonRequest json = request.json();
        FunctionVersion f = functions.updateConfiguration(request.path(0), configChange(json),
                json.string("RevisionId"));
        return ApiResponse.json(200, FunctionJson.configuration(f, account));
    }

    private ApiResponse delete(ApiRequest request) {
        functions.delete(request.path(0), request.queryParam("Qualifier"));
        return ApiResponse.empty(204);
    }

    private static ConfigChange configChange(JsonRequest json) {
        return new ConfigChange(
                json.string("Runtime"),
                json.string("Handler"),
                json.string("Role"),
                json.string("Description"),
                json.integer("Timeout"),
                json.integer("MemorySize"),
                json.object("EphemeralStorage").flatMap(e -> e.integer("Size")),
                json.object("Environment").map(e -> e.stringMap("Variables").orElse(Map.of())),
                json.stringList("Layers"),
                json.object("DeadLetterConfig").map(d -> d.string("TargetArn").orElse("")),
                json.object("TracingConfig").flatMap(t -> t.string("Mode")));
    }

    private static CodeSource codeSource(JsonRequest code) {
        Optional<byte[]> zip = code.base64("ZipFile");
        boolean s3 = code.has("S3Bucket") || code.has("S3Key") || code.has("S3ObjectVersion");
        return new CodeSource(zip, s3, code.has("ImageUri"));
    }
}
