package dev.thunk.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FunctionRefTest {
    private static final Account ACCOUNT = new Account("us-east-1", "123456789012");

    @Test
    void acceptsNamesPartialArnsAndFullArns() {
        assertEquals(new FunctionRef("f", Optional.empty()), FunctionRef.parse("f", ACCOUNT));
        assertEquals(new FunctionRef("f", Optional.of("prod")), FunctionRef.parse("f:prod", ACCOUNT));
        assertEquals(new FunctionRef("f", Optional.empty()), FunctionRef.parse("123456789012:function:f", ACCOUNT));
        assertEquals(new FunctionRef("f", Optional.of("$LATEST")),
                FunctionRef.parse("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", ACCOUNT));
    }

    @Test
    void otherAccountsAndRegionsAreNotFound() {
        LambdaException account = assertThrows(LambdaException.class,
                () -> FunctionRef.parse("arn:aws:lambda:us-east-1:999999999999:function:f", ACCOUNT));
        assertEquals(ErrorCode.ResourceNotFoundException, account.code());
        LambdaException region = assertThrows(LambdaException.class,
                () -> FunctionRef.parse("arn:aws:lambda:eu-west-1:123456789012:function:f", ACCOUNT));
        assertEquals(ErrorCode.ResourceNotFoundException, region.code());
    }

    @Test
    void badNamesAreValidationErrors() {
        for (String bad : new String[]{"", "a b", "f/g", "x".repeat(171)}) {
            LambdaException e = assertThrows(LambdaException.class, () -> FunctionRef.parse(bad, ACCOUNT));
            assertEquals(ErrorCode.ValidationException, e.code(), bad);
        }
        assertEquals(ErrorCode.ValidationException,
                assertThrows(LambdaException.class, () -> FunctionRef.parseNew(null, ACCOUNT)).code());
    }

    @Test
    void conflictingQualifiersAreRefused() {
        FunctionRef ref = FunctionRef.parse("f:1", ACCOUNT);
        assertEquals(Optional.of("1"), ref.qualifiedBy(Optional.of("1")));
        assertEquals(Optional.of("1"), ref.qualifiedBy(Optional.empty()));
        assertThrows(LambdaException.class, () -> ref.qualifiedBy(Optional.of("2")));
    }
}
