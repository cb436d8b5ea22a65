package dev.thunk.core;

import java.util.Optional;

/**
 * Tells whether this machine can run a runtime. Implemented by the engine from what it found installed
 * (JDKs, Python, Node.js); consulted when a function is created or its runtime changes.
 */
@FunctionalInterface
public interface RuntimeAvailability {

    /** Empty when the runtime can run here; otherwise a sentence saying what is missing. */
    Optional<String> missing(String runtime);

    /** Accepts every runtime of the families Thunk knows; for tests of the control plane alone. */
    static RuntimeAvailability any() {
        return runtime -> Runtimes.family(runtime) == Runtimes.Family.OTHER
                ? Optional.of("Thunk has no runtime client for " + runtime)
                : Optional.empty();
    }
}
