package dev.thunk.core.control;

import dev.thunk.core.LambdaException;
import dev.thunk.core.Validation;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** AWS's limits on resource tags: 50 per resource, keys 1..128 characters, values up to 256, no {@code aws:}. */
final class TagRules {
    static final int MAX_TAGS = 50;

    private TagRules() {
    }

    static void checkNotEmpty(Map<String, String> tags) {
        if (tags.isEmpty()) {
            throw LambdaException.invalidParameter("An error occurred and the request cannot be processed.");
        }
    }

    static void check(Map<String, String> tags) {
        checkKeys(tags.keySet());
        Validation v = new Validation();
        tags.forEach((key, value) -> v.length("tags." + key, value, 0, 256));
        v.check();
        if (tags.size() > MAX_TAGS) {
            throw LambdaException.invalidParameter("Number of tags exceeds resource tag limit.");
        }
    }

    static void checkKeys(Collection<String> keys) {
        Validation v = new Validation();
        keys.forEach(key -> v.length("tagKeys", key, 1, 128));
        v.check();
        for (String key : keys) {
            if (key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                throw LambdaException.invalidParameter("Tag keys starting with 'aws:' are reserved: " + key);
            }
        }
    }

    static Map<String, String> merge(Map<String, String> current, Map<String, String> added) {
        Map<String, String> merged = new TreeMap<>(current);
        merged.putAll(added);
        if (merged.size() > MAX_TAGS) {
            throw LambdaException.invalidParameter("Number of tags exceeds resource tag limit.");
        }
        return merged;
    }

    static Map<String, String> remove(Map<String, String> current, Collection<String> keys) {
        Map<String, String> left = new TreeMap<>(current);
        keys.forEach(left::remove);
        return left;
    }
}
