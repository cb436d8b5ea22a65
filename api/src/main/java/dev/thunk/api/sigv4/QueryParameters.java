package dev.thunk.api.sigv4;

import dev.thunk.api.PercentDecoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A raw query string as ordered, decoded name-value pairs, for signing. Decoding is strict, as for paths: a
 * {@code +} stays a plus, because SigV4 clients encode a space as {@code %20} and sign a plus as {@code %2B}.
 */
final class QueryParameters {
    private QueryParameters() {
    }

    static List<Map.Entry<String, String>> parse(String rawQuery) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return pairs;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            pairs.add(Map.entry(PercentDecoding.decode(name), PercentDecoding.decode(value)));
        }
        return pairs;
    }
}
