package dev.thunk.core.async;

import java.util.List;
import java.util.Optional;

/** Where event invoke configurations live; they go when their function goes. */
public interface EventInvokeConfigStore {

    /** Stores {@code config}, replacing the one of the same function and qualifier; false if the function is gone. */
    boolean putEventInvokeConfig(EventInvokeConfig config);

    Optional<EventInvokeConfig> findEventInvokeConfig(String functionName, String qualifier);

    /** Every configuration of the function, ordered by qualifier. */
    List<EventInvokeConfig> listEventInvokeConfigs(String functionName);

    boolean deleteEventInvokeConfig(String functionName, String qualifier);
}
