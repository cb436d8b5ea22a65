package dev.thunk.core.control;

/**
 * Whoever keeps provisioned environments running (the engine), as the control plane sees it. Told after every
 * committed change of a function's provisioned concurrency configurations; asked for their progress.
 */
public interface ProvisionedEnvironments {

    /**
     * The function's configurations changed, or what they point at did (an alias moved, a version or the function
     * was deleted): re-read them and start or end environments to match. Returns once the new targets are known;
     * environments start in the background. Blocking (reads the store).
     */
    void provisionedChanged(String functionName);

    /** The progress of the configuration of {@code qualifier}; {@code starting()} if the engine has none yet. */
    ProvisionedState state(String functionName, String qualifier);

    ProvisionedEnvironments NONE = new ProvisionedEnvironments() {
        @Override
        public void provisionedChanged(String functionName) {
        }

        @Override
        public ProvisionedState state(String functionName, String qualifier) {
            return ProvisionedState.starting();
        }
    };
}
