package dev.thunk.core.control;

import java.util.List;
import java.util.Optional;

/** A PublishLayerVersion request, parsed but not yet validated; {@code content} is empty when none was sent. */
public record PublishLayerVersion(
        Optional<CodeSource> content,
        Optional<String> description,
        List<String> compatibleRuntimes,
        List<String> compatibleArchitectures,
        Optional<String> licenseInfo) {

    public PublishLayerVersion {
        compatibleRuntimes = List.copyOf(compatibleRuntimes);
        compatibleArchitectures = List.copyOf(compatibleArchitectures);
    }
}
