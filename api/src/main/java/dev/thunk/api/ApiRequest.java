package dev.thunk.api;

import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as an operation sees it: its decoded path parameters (in the order the route names them), query
 * parameters, headers (lower-case names) and the whole body. Immutable.
 */
public record ApiRequest(
        String method,
        List<String> pathParams,
        Map<String, List<String>> query,
        Map<String, String> headers,
        byte[] body,
        String baseUrl) {

    public String path(int index) {
        return pathParams.get(index);
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public List<String> queryParams(String name) {
        return query.getOrDefault(name, List.of());
    }

    public Optional<Integer> intQueryParam(String name) {
        Optional<String> value = queryParam(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException e) {
            throw new LambdaException(ErrorCode.InvalidParameterValueException,
                    "Invalid value for query parameter " + name + ": '" + value.get() + "' is not an integer");
        }
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public JsonRequest json() {
        return JsonRequest.parse(body);
    }
}
