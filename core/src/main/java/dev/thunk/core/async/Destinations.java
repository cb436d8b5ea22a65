package dev.thunk.core.async;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to queue destinations (on-success and on-failure destinations, dead-letter queues). Destinations
 * that are functions never come here: their records go through the event queue like any event.
 */
public interface Destinations {

    /** Whether messages to this ARN can be sent at all (its service is supported and reachable). */
    boolean accepts(String arn);

    /** Sends one message; fails when the destination did not take it. */
    CompletableFuture<Void> send(String arn, byte[] body, Map<String, String> attributes);

    /** For a server without a queue endpoint: accepts nothing. */
    static Destinations none() {
        return new Destinations() {
            @Override
            public boolean accepts(String arn) {
                return false;
            }

            @Override
            public CompletableFuture<Void> send(String arn, byte[] body, Map<String, String> attributes) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "no queue endpoint is configured for " + arn + " (start Thunk with --sqs-endpoint URL)"));
            }
        };
    }
}
