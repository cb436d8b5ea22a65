package dev.thunk.core;

/**
 * The one exception family of Thunk's control plane: an AWS error code and the message the caller sees.
 * Thrown for bad input and missing resources; rendered by the API layer as an AWS error response. Function
 * failures are never thrown as this: they are invocation results.
 */
public final class LambdaException extends RuntimeException {
    private final ErrorCode code;
    private final java.util.Optional<String> reason;

    public LambdaException(ErrorCode code, String message) {
        this(code, message, java.util.Optional.empty());
    }

    private LambdaException(ErrorCode code, String message, java.util.Optional<String> reason) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public ErrorCode code() {
        return code;
    }

    /** AWS's {@code Reason} of a throttle ({@code ConcurrentInvocationLimitExceeded}, ...). */
    public java.util.Optional<String> reason() {
        return reason;
    }

    /** A 429 with AWS's reason, answered at once instead of queueing behind the limit. */
    public static LambdaException throttled(String reason) {
        return new LambdaException(ErrorCode.TooManyRequestsException, "Rate Exceeded.", java.util.Optional.of(reason));
    }

    public static LambdaException invalidParameter(String message) {
        return new LambdaException(ErrorCode.InvalidParameterValueException, message);
    }

    public static LambdaException conflict(String message) {
        return new LambdaException(ErrorCode.ResourceConflictException, message);
    }

    public static LambdaException notFound(String message) {
        return new LambdaException(ErrorCode.ResourceNotFoundException, message);
    }

    public static LambdaException functionNotFound(String functionArn) {
        return notFound("Function not found: " + functionArn);
    }

    public static LambdaException revisionMismatch() {
        return new LambdaException(ErrorCode.PreconditionFailedException,
                "The Revision Id provided does not match the latest Revision Id. "
                        + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
    }
}
