package dev.thunk.api.sigv4;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as it arrived, with what SigV4 covers: the method, the raw (still percent-encoded) path and query,
 * every header (names in lower case, values in arrival order) and the whole body. Immutable.
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            byte[] body) {

    public Optional<String> header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
