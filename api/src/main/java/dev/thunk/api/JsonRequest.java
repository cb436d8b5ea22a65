package dev.thunk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON request body read field by field with the types of the AWS model. A field of the wrong type, a body that
 * is not JSON or not an object, and invalid base64 are the caller's errors ({@code SerializationException}, as AWS
 * answers them); unknown fields are ignored, as AWS ignores them. An empty body is an empty object.
 */
public final class JsonRequest {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // The largest bodies are base64 packages of about 70 MB; Jackson's default string limit is 20 MB.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(80_000_000).maxNestingDepth(64).build());
    }

    private final ObjectNode node;
    private final String path;

    private JsonRequest(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonRequest parse(byte[] body) {
        if (body.length == 0) {
            return new JsonRequest(MAPPER.createObjectNode(), "");
        }
        if (!isUtf8(body)) {
            throw error("Could not parse request body into json: the body is not valid UTF-8");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw error("Could not parse request body into json: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw error("Could not read request body: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return new JsonRequest(MAPPER.createObjectNode(), "");
        }
        if (!tree.isObject()) {
            throw error("Start of structure or map found where not expected: the request body must be a JSON object");
        }
        return new JsonRequest((ObjectNode) tree, "");
    }

    /**
     * Whether {@code bytes} are well-formed UTF-8. Jackson lets overlong forms and encoded surrogates through (they
     * come out as other characters or {@code ?}), so the body is checked strictly first; ASCII, the usual case,
     * is recognised without decoding.
     */
    static boolean isUtf8(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return true;
        }
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    public Optional<String> string(String field) {
        return value(field).map(v -> {
            if (!v.isTextual()) {
                throw typeError(field, "a string", v);
            }
            return v.textValue();
        });
    }

    public Optional<Integer> integer(String field) {
        return value(field).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw typeError(field, "an integer", v);
            }
            return v.intValue();
        });
    }

    public Optional<Boolean> bool(String field) {
        return value(field).map(v -> {
            if (!v.isBoolean()) {
                throw typeError(field, "a boolean", v);
            }
            return v.booleanValue();
        });
    }

    public Optional<JsonRequest> object(String field) {
        return value(field).map(v -> {
            if (!v.isObject()) {
                throw typeError(field, "an object", v);
            }
            return new JsonRequest((ObjectNode) v, qualified(field) + ".");
        });
    }

    public Optional<Map<String, String>> stringMap(String field) {
        return value(field).map(v -> {
            if (!v.isObject()) {
                throw typeError(field, "a map of strings", v);
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (!e.getValue().isTextual()) {
                    throw typeError(field + "." + e.getKey(), "a string", e.getValue());
                }
                map.put(e.getKey(), e.getValue().textValue());
            }
            return map;
        });
    }

    public Optional<Map<String, Double>> numberMap(String field) {
        return value(field).map(v -> {
            if (!v.isObject()) {
                throw typeError(field, "a map of numbers", v);
            }
            Map<String, Double> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                if (!e.getValue().isNumber()) {
                    throw typeError(field + "." + e.getKey(), "a number", e.getValue());
                }
                map.put(e.getKey(), e.getValue().doubleValue());
            }
            return map;
        });
    }

    public Optional<List<String>> stringList(String field) {
        return value(field).map(v -> {
            if (!v.isArray()) {
                throw typeError(field, "a list of strings", v);
            }
            List<String> list = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw typeError(field + "[]", "a string", item);
                }
                list.add(item.textValue());
            }
            return list;
        });
    }

    public Optional<byte[]> base64(String field) {
        return string(field).map(text -> {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw error("Could not decode " + qualified(field) + " as base64: " + e.getMessage());
            }
        });
    }

    public boolean has(String field) {
        return value(field).isPresent();
    }

    private Optional<JsonNode> value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private String qualified(String field) {
        return path + field;
    }

    private LambdaException typeError(String field, String expected, JsonNode actual) {
        return error("Unexpected value for " + qualified(field) + ": expected " + expected + " but got "
                + actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static LambdaException error(String message) {
        return new LambdaException(ErrorCode.SerializationException, message);
    }
}
