package dev.thunk.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thunk.core.ErrorCode;
import dev.thunk.core.LambdaException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Renders errors the way AWS Lambda does: the status of the code, {@code x-amzn-ErrorType}, and a JSON body whose
 * keys differ by error as they do in AWS ({@code Message} for not-found and service errors, {@code message}
 * otherwise; no {@code Type} on validation and size errors). The one place that maps errors to the wire.
 */
public final class AwsErrors {
    private static final Logger LOG = Logger.getLogger(AwsErrors.class.getName());

    private AwsErrors() {
    }

    public static ApiResponse render(LambdaException e) {
        ErrorCode code = e.code();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        switch (code) {
            case ResourceNotFoundException, ServiceException, UnknownOperationException -> body
                    .put("Type", code == ErrorCode.ServiceException ? "Service" : "User")
                    .put("Message", e.getMessage());
            case ValidationException, RequestEntityTooLargeException, SerializationException,
                 InvalidSignatureException, UnrecognizedClientException, AccessDeniedException,
                 MissingAuthenticationTokenException, IncompleteSignatureException ->
                    body.put("message", e.getMessage());
            default -> {
                e.reason().ifPresent(reason -> body.put("Reason", reason));
                body.put("Type", "User").put("message", e.getMessage());
            }
        }
        ApiResponse response = ApiResponse.json(code.status(), body).withHeader("x-amzn-ErrorType", code.name());
        // A throttle tells the caller when to come back, as AWS does.
        return code == ErrorCode.TooManyRequestsException ? response.withHeader("Retry-After", "1") : response;
    }

    /** A failure that is Thunk's own fault: logged with its stack, answered as ServiceException. */
    public static ApiResponse unexpected(String operation, Throwable t) {
        LOG.log(Level.SEVERE, "unexpected failure in " + operation, t);
        return render(new LambdaException(ErrorCode.ServiceException,
                "An internal error occurred in " + operation + ": " + t.getClass().getSimpleName()));
    }
}
