package dev.thunk.it;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Assertions on AWS errors as the SDK reports them. */
final class Refusals {
    private Refusals() {
    }

    /** Runs {@code call}, which must fail with AWS error {@code code} and HTTP {@code status}; answers the error. */
    static AwsServiceException refused(String code, int status, Executable call) {
        AwsServiceException e = assertThrows(AwsServiceException.class, call);
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
        assertEquals(status, e.statusCode(), e.getMessage());
        return e;
    }

    static String message(AwsServiceException e) {
        return e.awsErrorDetails().errorMessage();
    }
}
