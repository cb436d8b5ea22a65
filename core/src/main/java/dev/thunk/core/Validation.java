package dev.thunk.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects violations of modelled constraints and reports them all at once, in the wording AWS uses:
 * {@code 2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: ...; Value ...}.
 * Not thread-safe; one instance per request.
 */
public final class Validation {
    private final List<String> errors = new ArrayList<>();

    public Validation range(String field, Integer value, int min, int max) {
        if (value == null) {
            return this;
        }
        if (value < min) {
            fail(value, field, "Member must have value greater than or equal to " + min);
        } else if (value > max) {
            fail(value, field, "Member must have value less than or equal to " + max);
        }
        return this;
    }

    public Validation length(String field, String value, int min, int max) {
        if (value == null) {
            return this;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            fail(value, field, "Member must have length greater than or equal to " + min);
        } else if (length > max) {
            fail(value, field, "Member must have length less than or equal to " + max);
        }
        return this;
    }

    public Validation pattern(String field, String value, Pattern pattern) {
        if (value != null && !pattern.matcher(value).matches()) {
            fail(value, field, "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
        return this;
    }

    public Validation oneOf(String field, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            fail(value, field, "Member must satisfy enum value set: " + allowed);
        }
        return this;
    }

    public Validation required(String field, Object value) {
        if (value == null) {
            errors.add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
        }
        return this;
    }

    /** A violation AWS reports without quoting the value (map keys of environment variables). */
    public void failWithoutValue(String field, String constraint) {
        errors.add("Value at '" + field + "' failed to satisfy constraint: " + constraint);
    }

    public void fail(Object value, String field, String constraint) {
        errors.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + constraint);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Throws a {@code ValidationException} listing every violation, if there is any. */
    public void check() {
        if (errors.isEmpty()) {
            return;
        }
        int n = errors.size();
        String head = n + " validation error" + (n == 1 ? "" : "s") + " detected: ";
        throw new LambdaException(ErrorCode.ValidationException, head + String.join("; ", errors));
    }
}
