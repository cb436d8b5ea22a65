package dev.thunk.api;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerPaceTest {

    @Test
    void sendsWaitOnlyWhileTheCallerLagsAndAllGoOnWhenItCatchesUp() {
        CallerPace pace = new CallerPace();
        assertTrue(pace.nextSend().toCompletableFuture().isDone(), "a caller that keeps up is never waited for");

        assertTrue(pace.startsLagging(), "the first full queue arranges the release");
        assertFalse(pace.startsLagging(), "later ones find it arranged");
        CompletableFuture<Void> first = pace.nextSend().toCompletableFuture();
        CompletableFuture<Void> second = pace.nextSend().toCompletableFuture();
        assertFalse(first.isDone() || second.isDone());

        pace.release();
        assertTrue(first.isDone() && second.isDone());
        assertTrue(pace.nextSend().toCompletableFuture().isDone());
        assertTrue(pace.startsLagging(), "lagging again after a release arranges a new one");
    }
}
