package dev.thunk.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a user chooses for a function, as validated by {@code FunctionConfigRules}. Immutable; maps and
 * lists are copied (environment variables keep their order).
 */
public record FunctionConfig(
        String runtime,
        String handler,
        String role,
        String description,
        int memorySize,
        int timeout,
        int ephemeralStorage,
        Map<String, String> environment,
        List<String> architectures,
        List<FunctionLayer> layers,
        Optional<String> deadLetterTargetArn,
        String tracingMode) {

    public static final int DEFAULT_MEMORY = 128;
    public static final int DEFAULT_TIMEOUT = 3;
    public static final int DEFAULT_EPHEMERAL = 512;

    public FunctionConfig {
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        architectures = List.copyOf(architectures);
        layers = List.copyOf(layers);
    }
}
