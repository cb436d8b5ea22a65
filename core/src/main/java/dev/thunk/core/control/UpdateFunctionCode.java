package dev.thunk.core.control;

import java.util.List;
import java.util.Optional;

/** An UpdateFunctionCode request, parsed but not yet validated. */
public record UpdateFunctionCode(
        CodeSource code,
        Optional<List<String>> architectures,
        Optional<String> revisionId,
        boolean dryRun,
        boolean publish) {
}
