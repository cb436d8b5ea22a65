package dev.thunk.core.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration fields a CreateFunction or UpdateFunctionConfiguration request names; an empty field is left
 * as it was (or at its default on create). Environment variables replace the whole set, as in AWS.
 */
public record ConfigChange(
        Optional<String> runtime,
        Optional<String> handler,
        Optional<String> role,
        Optional<String> description,
        Optional<Integer> timeout,
        Optional<Integer> memorySize,
        Optional<Integer> ephemeralStorage,
        Optional<Map<String, String>> environment,
        Optional<List<String>> layers,
        Optional<String> deadLetterTargetArn,
        Optional<String> tracingMode) {

    public static ConfigChange none() {
        return new ConfigChange(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
