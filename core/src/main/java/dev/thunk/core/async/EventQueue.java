package dev.thunk.core.async;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable asynchronous queue. Every change is committed before its future completes, so an event is
 * acknowledged only once it would survive a killed server. Changes from many callers are committed together
 * (group commit); the futures complete in the order the changes were made.
 */
public interface EventQueue extends AutoCloseable {

    /** Adds entries; completes with them, numbered, once committed. */
    CompletableFuture<List<QueuedEvent>> append(List<QueuedEvent> entries);

    /** Records a failed or put-back attempt: the entry's counters and when it is next due. */
    CompletableFuture<Void> reschedule(QueuedEvent entry);

    /**
     * Removes a finished entry and adds what follows from it (a destination's record, a dead letter) in the same
     * commit, so a crash can neither lose the follow-up nor run the entry again once the follow-up exists.
     */
    CompletableFuture<List<QueuedEvent>> finish(QueuedEvent entry, List<QueuedEvent> followUps);

    /** Everything still queued, oldest first: what a server restarting after a stop or a crash has to run. */
    List<QueuedEvent> pending();

    @Override
    void close();
}
