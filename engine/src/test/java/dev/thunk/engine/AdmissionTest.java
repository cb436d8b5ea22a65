package dev.thunk.engine;

import dev.thunk.core.LambdaException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdmissionTest {

    private static List<Runnable> admit(Admission admission, String function, int times) {
        List<Runnable> tickets = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            tickets.add(admission.admit(function));
        }
        return tickets;
    }

    @Test
    void provisionedConcurrencyIsTheFunctionsOwnShareFirstAndLeavesTheSharedPoolSmaller() {
        Admission admission = new Admission(110, Map.of());
        admission.provisionedChanged("warm", 10);
        // 10 on its own share, then the 100 the others share.
        List<Runnable> warm = admit(admission, "warm", 105);
        List<Runnable> others = admit(admission, "other", 5);
        LambdaException throttled = assertThrows(LambdaException.class, () -> admission.admit("other"));
        assertEquals(Admission.ACCOUNT_LIMIT, throttled.reason().orElseThrow());
        assertThrows(LambdaException.class, () -> admission.admit("warm"));

        warm.forEach(Runnable::run);
        others.forEach(Runnable::run);
        admission.provisionedChanged("warm", 0);
        assertEquals(110, admit(admission, "other", 110).size(), "without it, the whole account is shared");
    }

    @Test
    void aReservationHoldsTheFunctionsProvisionedConcurrency() {
        Admission admission = new Admission(110, Map.of());
        admission.reservationChanged("capped", OptionalInt.of(5));
        admission.provisionedChanged("capped", 3);
        assertEquals(5, admit(admission, "capped", 5).size());
        LambdaException throttled = assertThrows(LambdaException.class, () -> admission.admit("capped"));
        assertEquals(Admission.RESERVED_LIMIT, throttled.reason().orElseThrow());
        assertEquals(105, admit(admission, "other", 105).size(), "only the reservation is set aside");
    }
}
