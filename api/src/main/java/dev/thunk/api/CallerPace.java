package dev.thunk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether a streamed answer's caller keeps up. A send is welcome at once unless the caller's write queue was
 * found full after an earlier one; then it waits until the queue drains, the caller goes, or the answer ends.
 */
final class CallerPace {
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);
    private boolean lagging;
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();

    /** When the next send is welcome: at once, unless the caller lags. */
    synchronized CompletionStage<Void> nextSend() {
        if (!lagging) {
            return NOW;
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        waiting.add(ready);
        return ready;
    }

    /**
     * The write queue was just found full. True if the caller was keeping up until now: then whoever found it
     * arranges for {@link #release} when the queue drains or the caller goes.
     */
    synchronized boolean startsLagging() {
        boolean was = lagging;
        lagging = true;
        return !was;
    }

    /** The caller caught up, went away, or the answer ended: every waiting send may go on. */
    synchronized void release() {
        lagging = false;
        waiting.forEach(ready -> ready.complete(null));
        waiting.clear();
    }
}
