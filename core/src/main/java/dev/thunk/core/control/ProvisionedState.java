package dev.thunk.core.control;

import java.util.Optional;

/**
 * How far the engine has got with a provisioned concurrency configuration.
 *
 * @param allocated environments initialised for it and alive (at most the requested number)
 * @param available of those, how many can take an invocation; Thunk allocates an environment only once it is
 *                  initialised, so this equals {@code allocated}
 * @param reason    why the configuration {@link Status#FAILED}, in AWS's words ({@code FUNCTION_ERROR_INIT_FAILURE})
 */
public record ProvisionedState(int allocated, int available, Status status, Optional<String> reason) {
    /** AWS's {@code ProvisionedConcurrencyStatusEnum}. */
    public enum Status { IN_PROGRESS, READY, FAILED }

    public static ProvisionedState starting() {
        return new ProvisionedState(0, 0, Status.IN_PROGRESS, Optional.empty());
    }
}
