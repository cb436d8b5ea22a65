package dev.thunk.core;

import java.time.Instant;
import java.util.List;

/**
 * One published, immutable version of a layer: its content (a stored package) and the metadata the caller gave.
 * Version numbers count from 1 per layer name and are never reused, even after a version is deleted.
 */
public record LayerVersion(
        String layerName,
        int version,
        String description,
        List<String> compatibleRuntimes,
        List<String> compatibleArchitectures,
        String licenseInfo,
        CodeInfo code,
        Instant createdDate) {

    public LayerVersion {
        compatibleRuntimes = List.copyOf(compatibleRuntimes);
        compatibleArchitectures = List.copyOf(compatibleArchitectures);
    }
}
