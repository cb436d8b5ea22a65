package dev.thunk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.Alias;
import dev.thunk.core.CodeInfo;
import dev.thunk.core.FunctionConfig;
import dev.thunk.core.FunctionLayer;
import dev.thunk.core.FunctionState;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.Status;
import dev.thunk.core.UpdateStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored form of a function version: one JSON document per row. Written by hand, field by field, so the
 * on-disk format is explicit and does not move when a record gains a method.
 */
final class FunctionCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FunctionCodec() {
    }

    static String write(FunctionVersion f, SecretBox secrets) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", f.name()).put("version", f.version()).put("revisionId", f.revisionId())
                .put("lastModified", f.lastModified().toString());
        FunctionConfig c = f.config();
        ObjectNode config = doc.putObject("config");
        config.put("runtime", c.runtime()).put("handler", c.handler()).put("role", c.role())
                .put("description", c.description()).put("memorySize", c.memorySize()).put("timeout", c.timeout())
                .put("ephemeralStorage", c.ephemeralStorage()).put("tracingMode", c.tracingMode());
        // Environment variables hold secrets: stored sealed, never as plain text.
        ObjectNode env = JSON.createObjectNode();
        c.environment().forEach(env::put);
        config.put("environmentSealed", secrets.seal(env.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        c.architectures().forEach(config.putArray("architectures")::add);
        ArrayNode layers = config.putArray("layers");
        c.layers().forEach(layer -> writeCode(layers.addObject().put("arn", layer.arn()), layer.code()));
        c.deadLetterTargetArn().ifPresent(arn -> config.put("deadLetterTargetArn", arn));
        writeCode(doc.putObject("code"), f.code());
        Status s = f.status();
        ObjectNode status = doc.putObject("status");
        status.put("state", s.state().name());
        s.stateReason().ifPresent(v -> status.put("stateReason", v));
        s.stateReasonCode().ifPresent(v -> status.put("stateReasonCode", v));
        s.lastUpdate().ifPresent(v -> status.put("lastUpdate", v.name()));
        s.lastUpdateReason().ifPresent(v -> status.put("lastUpdateReason", v));
        s.lastUpdateReasonCode().ifPresent(v -> status.put("lastUpdateReasonCode", v));
        return doc.toString();
    }

    static FunctionVersion read(String text, SecretBox secrets) {
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt function record: " + e.getOriginalMessage(), e);
        }
        JsonNode c = doc.get("config");
        Map<String, String> env = new LinkedHashMap<>();
        environment(c, secrets).properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        FunctionConfig config = new FunctionConfig(c.get("runtime").asText(), c.get("handler").asText(),
                c.get("role").asText(), c.get("description").asText(), c.get("memorySize").asInt(),
                c.get("timeout").asInt(), c.get("ephemeralStorage").asInt(), env, strings(c.get("architectures")),
                layers(c.get("layers")), text(c, "deadLetterTargetArn"), c.get("tracingMode").asText());
        CodeInfo code = readCode(doc.get("code"));
        JsonNode s = doc.get("status");
        Status status = new Status(FunctionState.valueOf(s.get("state").asText()), text(s, "stateReason"),
                text(s, "stateReasonCode"), text(s, "lastUpdate").map(UpdateStatus::valueOf),
                text(s, "lastUpdateReason"), text(s, "lastUpdateReasonCode"));
        return new FunctionVersion(doc.get("name").asText(), doc.get("version").asText(), config, code, status,
                doc.get("revisionId").asText(), Instant.parse(doc.get("lastModified").asText()));
    }

    /** A package's identity, as functions, versions, their layer copies and layer versions all store it. */
    static ObjectNode writeCode(ObjectNode node, CodeInfo code) {
        return node.put("sha256", code.sha256()).put("blobId", code.blobId()).put("size", code.size())
                .put("unzippedSize", code.unzippedSize());
    }

    static CodeInfo readCode(JsonNode node) {
        return new CodeInfo(node.get("sha256").asText(), node.get("blobId").asText(), node.get("size").asLong(),
                node.get("unzippedSize").asLong());
    }

    /** Layers were stored as bare ARN strings before layers existed; none was ever accepted, so none is lost. */
    private static List<FunctionLayer> layers(JsonNode array) {
        List<FunctionLayer> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> {
                if (n.isObject()) {
                    out.add(new FunctionLayer(n.get("arn").asText(), readCode(n)));
                }
            });
        }
        return out;
    }

    static String writeAlias(Alias alias) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("functionName", alias.functionName()).put("name", alias.name())
                .put("functionVersion", alias.functionVersion()).put("description", alias.description())
                .put("revisionId", alias.revisionId());
        ObjectNode weights = doc.putObject("weights");
        alias.additionalVersionWeights().forEach(weights::put);
        return doc.toString();
    }

    static Alias readAlias(String text) {
        try {
            JsonNode doc = JSON.readTree(text);
            Map<String, Double> weights = new LinkedHashMap<>();
            doc.get("weights").properties().forEach(e -> weights.put(e.getKey(), e.getValue().asDouble()));
            return new Alias(doc.get("functionName").asText(), doc.get("name").asText(),
                    doc.get("functionVersion").asText(), doc.get("description").asText(), weights,
                    doc.get("revisionId").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt alias record: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    /** The environment variables of a stored config: sealed, or plain in records written before sealing. */
    private static JsonNode environment(JsonNode config, SecretBox secrets) {
        JsonNode sealed = config.get("environmentSealed");
        if (sealed == null) {
            return config.get("environment");
        }
        try {
            return JSON.readTree(secrets.open(sealed.asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupt sealed environment: " + e.getMessage(), e);
        }
    }
}
