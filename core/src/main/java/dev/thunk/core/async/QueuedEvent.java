package dev.thunk.core.async;

import java.util.Map;
import java.util.Optional;

/**
 * One entry of the durable asynchronous queue. An {@link Kind#INVOKE} entry is an event for a function (a caller's
 * event, or an invocation record on its way to a destination function); a {@link Kind#DELIVER} entry is a message
 * for a queue (a destination or dead-letter queue), kept until it has been sent.
 *
 * @param target      the function as the caller named it (INVOKE) or the destination ARN (DELIVER)
 * @param qualifier   the version or alias an INVOKE entry runs, if the caller named one
 * @param attributes  message attributes of a DELIVER entry (a dead-letter message's {@code RequestID}, ...)
 * @param receivedAt  when the event was accepted, epoch milliseconds: its age counts from here
 * @param attempts    INVOKE: how many times the function has run it and failed; DELIVER: failed sends
 * @param backoffs    how many times in a row it was put back for a throttle or a platform error
 * @param nextAt      epoch milliseconds before which it is not to be run again
 */
public record QueuedEvent(long id, Kind kind, String requestId, String target, Optional<String> qualifier,
                          byte[] payload, Map<String, String> attributes, long receivedAt, int attempts,
                          int backoffs, long nextAt) {

    public enum Kind { INVOKE, DELIVER }

    public QueuedEvent withRetry(int attempts, int backoffs, long nextAt) {
        return new QueuedEvent(id, kind, requestId, target, qualifier, payload, attributes, receivedAt, attempts,
                backoffs, nextAt);
    }

    /** The same entry with the id the queue gave it. */
    public QueuedEvent withId(long id) {
        return new QueuedEvent(id, kind, requestId, target, qualifier, payload, attributes, receivedAt, attempts,
                backoffs, nextAt);
    }

    /** A new event for a function, due at once. */
    public static QueuedEvent invoke(String requestId, String function, Optional<String> qualifier, byte[] payload,
                                     long now) {
        return new QueuedEvent(0, Kind.INVOKE, requestId, function, qualifier, payload, Map.of(), now, 0, 0, now);
    }

    /** A new message for a queue, due at once. */
    public static QueuedEvent deliver(String requestId, String destinationArn, byte[] body,
                                      Map<String, String> attributes, long now) {
        return new QueuedEvent(0, Kind.DELIVER, requestId, destinationArn, Optional.empty(), body, attributes, now,
                0, 0, now);
    }
}
