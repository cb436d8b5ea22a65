package dev.thunk.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Account;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;
import dev.thunk.core.LayerVersion;
import dev.thunk.core.control.CodeSource;
import dev.thunk.core.control.LayerPage;
import dev.thunk.core.control.LayerService;
import dev.thunk.core.control.PublishLayerVersion;

import java.util.List;

/**
 * Layers: {@code /2018-10-31/layers[/{LayerName}/versions[/{VersionNumber}]]}. ListLayers and GetLayerVersionByArn
 * share {@code GET /2018-10-31/layers}; AWS tells them apart by {@code find=LayerVersion}.
 */
final class LayerRoutes {
    private final LayerService layers;
    private final Account account;
    private final CodeLinks links;

    LayerRoutes(LayerService layers, CodeLinks links) {
        this.layers = layers;
        this.account = layers.account();
        this.links = links;
    }

    List<Route> routes() {
        String versions = "/2018-10-31/layers/([^/]+)/versions/?";
        String version = "/2018-10-31/layers/([^/]+)/versions/([^/]+)/?";
        return List.of(
                Route.of("POST", versions, "PublishLayerVersion", this::publish)
                        .withMaxBody(FunctionRoutes.MAX_CODE_REQUEST),
                Route.of("GET", versions, "ListLayerVersions", this::listVersions),
                Route.of("GET", version, "GetLayerVersion", r -> ApiResponse.json(200,
                        render(layers.get(r.path(0), versionNumber(r.path(1))), r))),
                Route.of("DELETE", version, "DeleteLayerVersion", this::delete),
                Route.of("GET", "/2018-10-31/layers/?", "ListLayers", this::listOrFind));
    }

    private ApiResponse publish(ApiRequest request) {
        JsonRequest json = request.json();
        PublishLayerVersion command = new PublishLayerVersion(
                json.object("Content").map(LayerRoutes::codeSource),
                json.string("Description"),
                json.stringList("CompatibleRuntimes").orElse(List.of()),
                json.stringList("CompatibleArchitectures").orElse(List.of()),
                json.string("LicenseInfo"));
        return ApiResponse.json(201, render(layers.publish(request.path(0), command), request));
    }

    private ApiResponse listOrFind(ApiRequest request) {
        if (request.queryParam("find").filter("LayerVersion"::equals).isPresent()) {
            return ApiResponse.json(200, render(layers.getByArn(request.queryParam("Arn").orElse(null)), request));
        }
        LayerPage page = layers.list(request.queryParam("CompatibleRuntime"),
                request.queryParam("CompatibleArchitecture"), request.queryParam("Marker"),
                request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        ArrayNode list = out.putArray("Layers");
        page.versions().forEach(latest -> {
            ObjectNode item = list.addObject()
                    .put("LayerName", latest.layerName())
                    .put("LayerArn", account.layerArn(latest.layerName()));
            item.set("LatestMatchingVersion", listItem(latest));
        });
        return ApiResponse.json(200, out);
    }

    private ApiResponse listVersions(ApiRequest request) {
        LayerPage page = layers.listVersions(request.path(0), request.queryParam("CompatibleRuntime"),
                request.queryParam("CompatibleArchitecture"), request.queryParam("Marker"),
                request.intQueryParam("MaxItems"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        page.nextMarker().ifPresent(marker -> out.put("NextMarker", marker));
        ArrayNode list = out.putArray("LayerVersions");
        page.versions().forEach(v -> list.add(listItem(v)));
        return ApiResponse.json(200, out);
    }

    private ApiResponse delete(ApiRequest request) {
        layers.delete(request.path(0), versionNumber(request.path(1)));
        return ApiResponse.empty(204);
    }

    /** AWS's GetLayerVersion / PublishLayerVersion answer, field for field. */
    private ObjectNode render(LayerVersion layer, ApiRequest request) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("Content")
                .put("Location", links.location(request.baseUrl(), layer.code().blobId()))
                .put("CodeSha256", layer.code().sha256())
                .put("CodeSize", layer.code().size());
        out.put("LayerArn", account.layerArn(layer.layerName()));
        out.put("LayerVersionArn", account.layerVersionArn(layer.layerName(), layer.version()));
        metadata(out, layer);
        return out;
    }

    /** AWS's {@code LayerVersionsListItem}: the version without its content. */
    private ObjectNode listItem(LayerVersion layer) {
        ObjectNode out = JsonNodeFactory.instance.objectNode()
                .put("LayerVersionArn", account.layerVersionArn(layer.layerName(), layer.version()));
        metadata(out, layer);
        return out;
    }

    private static void metadata(ObjectNode out, LayerVersion layer) {
        out.put("Version", layer.version());
        out.put("Description", layer.description());
        out.put("CreatedDate", FunctionJson.LAST_MODIFIED.format(layer.createdDate()));
        if (!layer.compatibleRuntimes().isEmpty()) {
            layer.compatibleRuntimes().forEach(out.putArray("CompatibleRuntimes")::add);
        }
        if (!layer.licenseInfo().isEmpty()) {
            out.put("LicenseInfo", layer.licenseInfo());
        }
        if (!layer.compatibleArchitectures().isEmpty()) {
            layer.compatibleArchitectures().forEach(out.putArray("CompatibleArchitectures")::add);
        }
    }

    private static CodeSource codeSource(JsonRequest content) {
        boolean s3 = content.has("S3Bucket") || content.has("S3Key") || content.has("S3ObjectVersion");
        return new CodeSource(content.base64("ZipFile"), s3, false);
    }

    /** {@code VersionNumber} is a long in AWS's model; anything else is the caller's error. */
    private static long versionNumber(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorCode.ValidationException, "1 validation error detected: Value '" + raw
                    + "' at 'versionNumber' failed to satisfy constraint: Member must be a number");
        }
    }
}
