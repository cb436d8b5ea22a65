package dev.thunk.engine.launch;

/**
 * A custom runtime's {@code bootstrap} is missing or cannot be run. The message is AWS's description of the
 * problem; the invocation that waited for the environment fails with {@code Runtime.InvalidEntrypoint}.
 */
public final class InvalidEntrypointException extends RuntimeException {
    public InvalidEntrypointException(String message) {
        super(message, null, false, false);
    }
}
