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

    private static final String LATEST = "$LATEST";

    private static List<Runnable> admit(Admission admission, String function, String version, int times) {
        List<Runnable> tickets = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            tickets.add(admission.admit(function, version));
        }
        return tickets;
    }

    @Test
    void provisionedConcurrencyIsTheFunctionsOwnShareFirstAndLeavesTheSharedPoolSmaller() {
        Admission admission = new Admission(110, Map.of());
        admission.provisionedChanged("warm", Map.of("1", 10));
        // 10 on its own share, then the 100 the others share.
        List<Runnable> warm = admit(admission, "warm", "1", 105);
        List<Runnable> others = admit(admission, "other", LATEST, 5);
        LambdaException throttled = assertThrows(LambdaException.class, () -> admission.admit("other", LATEST));
        assertEquals(Admission.ACCOUNT_LIMIT, throttled.reason().orElseThrow());
        assertThrows(LambdaException.class, () -> admission.admit("warm", "1"));

        warm.forEach(Runnable::run);
        others.forEach(Runnable::run);
        admission.provisionedChanged("warm", Map.of());
        assertEquals(110, admit(admission, "other", LATEST, 110).size(), "without it, the whole account is shared");
    }

    @Test
    void aReservationHoldsTheFunctionsProvisionedConcurrency() {
        Admission admission = new Admission(110, Map.of());
        admission.reservationChanged("capped", OptionalInt.of(5));
        admission.provisionedChanged("capped", Map.of("2", 3));
        assertEquals(5, admit(admission, "capped", "2", 5).size());
        LambdaException throttled = assertThrows(LambdaException.class, () -> admission.admit("capped", "2"));
        assertEquals(Admission.RESERVED_LIMIT, throttled.reason().orElseThrow());
        assertEquals(105, admit(admission, "other", LATEST, 105).size(), "only the reservation is set aside");
    }

    @Test
    void provisionedConcurrencyBelongsToItsVersionsNotToTheOtherVersionsOfTheFunction() {
        Admission admission = new Admission(110, Map.of());
        // An alias split 6/4 over versions 1 and 2.
        admission.provisionedChanged("split", Map.of("1", 6, "2", 4));

        // $LATEST and version 3 never run on the provisioned share: the shared pool is 110 - 10.
        List<Runnable> unprovisioned = admit(admission, "split", LATEST, 60);
        unprovisioned.addAll(admit(admission, "split", "3", 40));
        LambdaException throttled = assertThrows(LambdaException.class, () -> admission.admit("split", LATEST));
        assertEquals(Admission.ACCOUNT_LIMIT, throttled.reason().orElseThrow());

        // Each provisioned version still has exactly its own share, and nothing to spill over to.
        assertEquals(6, admit(admission, "split", "1", 6).size());
        assertThrows(LambdaException.class, () -> admission.admit("split", "1"));
        assertEquals(4, admit(admission, "split", "2", 4).size());
        assertThrows(LambdaException.class, () -> admission.admit("split", "2"));

        // A freed shared slot serves a provisioned version's spill-over as well as anyone else.
        unprovisioned.remove(0).run();
        admission.admit("split", "1");
    }
}
