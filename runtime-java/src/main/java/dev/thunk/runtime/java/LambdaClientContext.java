package dev.thunk.runtime.java;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mobile-SDK client context sent with an invocation, in the JSON shape AWS uses:
 * {@code {"client":{"installation_id":..,"app_title":..,"app_version_name":..,"app_version_code":..,
 * "app_package_name":..},"custom":{..},"env":{..}}}. Missing parts are null, as AWS's runtime leaves them.
 */
record LambdaClientContext(Client getClient, Map<String, String> getCustom, Map<String, String> getEnvironment)
        implements ClientContext {

    /**
     * Parses the {@code Lambda-Runtime-Client-Context} header. AWS's Runtime API sends the JSON itself; the Invoke
     * API carries it base64-encoded, so a value that is not a JSON object is decoded first.
     *
     * @return null when the header is absent or empty
     * @throws IllegalArgumentException when the value is neither JSON nor base64 of JSON
     */
    static LambdaClientContext parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String json = header.trim();
        if (!json.startsWith("{")) {
            json = new String(Base64.getDecoder().decode(json), StandardCharsets.UTF_8);
        }
        if (!(Json.parse(json) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("client context is not a JSON object");
        }
        Client client = null;
        if (root.get("client") instanceof Map<?, ?> c) {
            client = new LambdaClient(text(c, "installation_id"), text(c, "app_title"), text(c, "app_version_name"),
                    text(c, "app_version_code"), text(c, "app_package_name"));
        }
        return new LambdaClientContext(client, stringMap(root.get("custom")), stringMap(root.get("env")));
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Map<String, String> stringMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            result.put(String.valueOf(e.getKey()), e.getValue() == null ? null : String.valueOf(e.getValue()));
        }
        return result;
    }

    /** The {@code client} part of a client context. */
    record LambdaClient(String getInstallationId, String getAppTitle, String getAppVersionName,
                        String getAppVersionCode, String getAppPackageName) implements Client {
    }
}
