package dev.thunk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.LayerVersion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The stored form of a layer version: one JSON document per row, written field by field like functions. */
final class LayerCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayerCodec() {
    }

    static String write(LayerVersion layer) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("layerName", layer.layerName()).put("version", layer.version())
                .put("description", layer.description()).put("licenseInfo", layer.licenseInfo())
                .put("createdDate", layer.createdDate().toString());
        layer.compatibleRuntimes().forEach(doc.putArray("compatibleRuntimes")::add);
        layer.compatibleArchitectures().forEach(doc.putArray("compatibleArchitectures")::add);
        FunctionCodec.writeCode(doc.putObject("code"), layer.code());
        return doc.toString();
    }

    static LayerVersion read(String text) {
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt layer record: " + e.getOriginalMessage(), e);
        }
        return new LayerVersion(doc.get("layerName").asText(), doc.get("version").asInt(),
                doc.get("description").asText(), strings(doc.get("compatibleRuntimes")),
                strings(doc.get("compatibleArchitectures")), doc.get("licenseInfo").asText(),
                FunctionCodec.readCode(doc.get("code")), Instant.parse(doc.get("createdDate").asText()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
