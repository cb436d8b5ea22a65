package dev.thunk.core.access;

import dev.thunk.core.LambdaException;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyStatementTest {
    private static final Caller OTHER = new Caller("111111111111", "AKIAAAAAAAAAAAAAAAAA");
    private static final String INVOKE = "lambda:InvokeFunction";

    private static PolicyStatement allow(String principal, String action) {
        return new PolicyStatement("s", action, principal, "arn:aws:lambda:us-east-1:000000000000:function:f",
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void aDirectCallIsAllowedByItsAccountOrAnyoneForTheActionOrAllActions() {
        assertTrue(allow("arn:aws:iam::111111111111:root", INVOKE).allowsDirectCall(OTHER, INVOKE));
        assertTrue(allow("*", "lambda:*").allowsDirectCall(OTHER, INVOKE));
        assertTrue(allow("*", "lambda:invokefunction").allowsDirectCall(OTHER, INVOKE), "actions ignore case");
        assertFalse(allow("arn:aws:iam::222222222222:root", INVOKE).allowsDirectCall(OTHER, INVOKE));
        assertFalse(allow("arn:aws:iam::111111111111:root", "lambda:GetFunction").allowsDirectCall(OTHER, INVOKE));
        assertFalse(allow("s3.amazonaws.com", INVOKE).allowsDirectCall(OTHER, INVOKE));
    }

    @Test
    void aSourceConditionNeverHoldsForADirectCall() {
        PolicyStatement conditional = new PolicyStatement("s", INVOKE, "*", "arn", Optional.empty(),
                Optional.of("111111111111"), Optional.empty());
        assertFalse(conditional.allowsDirectCall(OTHER, INVOKE));
    }

    @Test
    void principalsAreWrittenAsAwsWritesThem() {
        assertEquals("arn:aws:iam::111111111111:root", PolicyService.principal("111111111111"));
        assertEquals("*", PolicyService.principal("*"));
        assertEquals("events.amazonaws.com", PolicyService.principal("events.amazonaws.com"));
        assertEquals("arn:aws:iam::111111111111:role/r", PolicyService.principal("arn:aws:iam::111111111111:role/r"));
        assertThrows(LambdaException.class, () -> PolicyService.principal("somebody"));
    }

    @Test
    void generatedKeysHaveAwsShapesAndDiffer() {
        AccessKey a = AccessKey.generate("000000000000", new SecureRandom());
        AccessKey b = AccessKey.generate("000000000000", new SecureRandom());
        assertTrue(a.accessKeyId().matches("AKIA[A-Z2-7]{16}"), a.accessKeyId());
        assertEquals(40, a.secretAccessKey().length());
        assertFalse(a.accessKeyId().equals(b.accessKeyId()) || a.secretAccessKey().equals(b.secretAccessKey()));
        assertFalse(a.toString().contains(a.secretAccessKey()), "a key never prints its secret");
    }
}
