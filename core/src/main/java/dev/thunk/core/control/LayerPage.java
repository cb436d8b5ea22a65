package dev.thunk.core.control;

import dev.thunk.core.LayerVersion;

import java.util.List;
import java.util.Optional;

/**
 * One page of ListLayers (each layer's latest matching version) or ListLayerVersions (a layer's versions, newest
 * first). The marker is opaque to callers.
 */
public record LayerPage(List<LayerVersion> versions, Optional<String> nextMarker) {
    public LayerPage {
        versions = List.copyOf(versions);
    }
}
