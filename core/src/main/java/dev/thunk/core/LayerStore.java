package dev.thunk.core;

import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Durable home of layer versions. Implementations are thread-safe and each method is atomic.
 */
public interface LayerStore {

    /**
     * Publishes a new version of the layer: {@code make} receives the next number (one past the highest ever
     * published under that name, deleted ones included) and its result is stored.
     */
    LayerVersion publish(String layerName, IntFunction<LayerVersion> make);

    Optional<LayerVersion> find(String layerName, int version);

    /** The layer's versions, newest first; empty if it has none. */
    List<LayerVersion> versions(String layerName);

    /** Every layer version, by layer name, then newest first. */
    List<LayerVersion> all();

    /** Deletes one version; false if there was none. */
    boolean delete(String layerName, int version);

    /** How many layer versions hold the package (to know when it can be deleted). */
    int codeReferences(String blobId);
}
