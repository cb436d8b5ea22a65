package dev.thunk.engine;

import dev.thunk.core.ErrorCode;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.LambdaException;
import dev.thunk.core.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which function versions an invocation may run, and AWS's refusals of the others. */
class InvocableTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:f";

    @Test
    void anActiveVersionRunsEvenWhileAnUpdateIsInProgress() {
        FunctionVersion active = TestFunctions.version("f", FunctionVersion.LATEST, "r1");
        assertSame(active, Engine.invocable(Optional.of(active), ARN));
        FunctionVersion updating = active.withStatus(Status.updating(active.status().state()), "r2");
        assertSame(updating, Engine.invocable(Optional.of(updating), ARN));
    }

    @Test
    void pendingAndFailedVersionsAreAConflict() {
        FunctionVersion active = TestFunctions.version("f", FunctionVersion.LATEST, "r1");
        for (Status status : new Status[]{Status.CREATING, Status.failed("InternalError", "unreadable")}) {
            var e = assertThrows(LambdaException.class,
                    () -> Engine.invocable(Optional.of(active.withStatus(status, "r2")), ARN));
            assertEquals(ErrorCode.ResourceConflictException, e.code());
            assertEquals("The operation cannot be performed at this time. The function is currently in the "
                    + "following state: " + status.state(), e.getMessage());
        }
    }

    @Test
    void aMissingVersionIsNotFound() {
        var e = assertThrows(LambdaException.class, () -> Engine.invocable(Optional.empty(), ARN));
        assertEquals(ErrorCode.ResourceNotFoundException, e.code());
        assertEquals("Function not found: " + ARN, e.getMessage());
    }
}
