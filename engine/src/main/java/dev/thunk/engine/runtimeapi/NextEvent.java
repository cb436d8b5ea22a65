package dev.thunk.engine.runtimeapi;

import java.util.Optional;

/** The answer to {@code GET /runtime/invocation/next}: one invocation's event and its headers. */
public record NextEvent(
        String requestId,
        long deadlineEpochMillis,
        String invokedFunctionArn,
        String traceId,
        Optional<String> clientContext,
        byte[] payload) {
}
