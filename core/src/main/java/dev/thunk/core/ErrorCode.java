package dev.thunk.core;

/**
 * The AWS Lambda error codes Thunk answers with, each with its HTTP status. The name is what goes into the
 * {@code x-amzn-ErrorType} header, so constants are spelled exactly as AWS spells them.
 */
public enum ErrorCode {
    ValidationException(400),
    InvalidParameterValueException(400),
    InvalidRequestContentException(400),
    SerializationException(400),
    IncompleteSignatureException(400),
    MissingAuthenticationTokenException(403),
    UnrecognizedClientException(403),
    InvalidSignatureException(403),
    ExpiredTokenException(403),
    AccessDeniedException(403),
    ResourceNotFoundException(404),
    ProvisionedConcurrencyConfigNotFoundException(404),
    UnknownOperationException(404),
    ResourceConflictException(409),
    PreconditionFailedException(412),
    RequestEntityTooLargeException(413),
    UnsupportedMediaTypeException(415),
    TooManyRequestsException(429),
    ServiceException(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
