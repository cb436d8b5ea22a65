package dev.thunk.core.control;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A CreateFunction request, parsed but not yet validated. */
public record CreateFunction(
        String functionName,
        ConfigChange config,
        CodeSource code,
        Optional<List<String>> architectures,
        Map<String, String> tags,
        Optional<String> packageType,
        boolean publish) {
}
