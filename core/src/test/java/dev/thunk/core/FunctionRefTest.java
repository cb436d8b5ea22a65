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

    /** Plain names take a short cut past the regular expressions; the edges of that cut, checked both sides. */
    @Test
    void plainNamesAtTheEdgesOfTheShortCut() {
        for (String name : new String[]{"f", "my-function_v2.1", "x".repeat(64), "-._"}) {
            assertEquals(new FunctionRef(name, Optional.empty()), FunctionRef.parse(name, ACCOUNT), name);
        }
        // One character too long for a name: the full path, which does not find it, as in AWS.
        LambdaException tooLong = assertThrows(LambdaException.class, () -> FunctionRef.parse("x".repeat(65), ACCOUNT));
        assertEquals(ErrorCode.ResourceNotFoundException, tooLong.code());
        // Not plain: a qualifier, and a character the pattern refuses.
        assertEquals(new FunctionRef("f.g", Optional.of("1")), FunctionRef.parse("f.g:1", ACCOUNT));
        assertEquals(ErrorCode.ValidationException,
                assertThrows(LambdaException.class, () -> FunctionRef.parse("f\u00e9", ACCOUNT)).code());
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
