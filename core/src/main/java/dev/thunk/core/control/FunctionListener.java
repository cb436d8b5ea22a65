package dev.thunk.core.control;

/**
 * Told when a function's code or configuration has changed or it is gone, so that whoever keeps running
 * environments of it (the engine) retires them. Called after the change is committed.
 */
public interface FunctionListener {
    void changed(String functionName);

    void deleted(String functionName);

    /**
     * The function's versions or aliases changed (not its code or configuration): what a qualifier resolves to may
     * differ now, but running environments stay valid.
     */
    default void qualifiersChanged(String functionName) {
    }

    /**
     * A published version was deleted: its environments end (its code is released), and the function's qualifiers
     * may resolve differently.
     */
    default void versionDeleted(String functionName, String version) {
        qualifiersChanged(functionName);
    }

    /** The function's reserved concurrency was set (or removed, when empty). */
    default void concurrencyChanged(String functionName, java.util.OptionalInt reserved) {
    }

    FunctionListener NONE = new FunctionListener() {
        @Override
        public void changed(String functionName) {
        }

        @Override
        public void deleted(String functionName) {
        }
    };
}
