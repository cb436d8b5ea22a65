package dev.thunk.core;

import java.util.Optional;

/**
 * Where a function is in its life: its {@code State} and {@code LastUpdateStatus}, each with the reason AWS
 * prints beside it. The constants are the combinations Thunk moves through.
 */
public record Status(
        FunctionState state,
        Optional<String> stateReason,
        Optional<String> stateReasonCode,
        Optional<UpdateStatus> lastUpdate,
        Optional<String> lastUpdateReason,
        Optional<String> lastUpdateReasonCode) {

    /** Just created: the package is being checked. */
    public static final Status CREATING = new Status(FunctionState.Pending,
            Optional.of("The function is being created."), Optional.of("Creating"),
            Optional.empty(), Optional.empty(), Optional.empty());

    public static final Status ACTIVE = new Status(FunctionState.Active, Optional.empty(), Optional.empty(),
            Optional.of(UpdateStatus.Successful), Optional.empty(), Optional.empty());

    /** An update of an active function is being applied. */
    public static Status updating(FunctionState state) {
        return new Status(state, Optional.empty(), Optional.empty(), Optional.of(UpdateStatus.InProgress),
                Optional.of("The function is being created."), Optional.of("Creating"));
    }

    /** The stored package cannot be read back: the function fails, and so does its last update. */
    public static Status failed(String reasonCode, String reason) {
        return new Status(FunctionState.Failed, Optional.of(reason), Optional.of(reasonCode),
                Optional.of(UpdateStatus.Failed), Optional.of(reason), Optional.of(reasonCode));
    }

    public boolean updateInProgress() {
        return state == FunctionState.Pending || lastUpdate.orElse(null) == UpdateStatus.InProgress;
    }
}
