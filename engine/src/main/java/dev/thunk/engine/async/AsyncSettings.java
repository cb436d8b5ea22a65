package dev.thunk.engine.async;

import java.time.Clock;
import java.time.Duration;

/**
 * The asynchronous dispatcher's settings, fixed at start.
 *
 * @param retryBaseDelay the wait before the first retry of a failed event; the second waits twice as long (AWS: one
 *                       minute, then two). Shorter in tests, so retries are seen in seconds.
 * @param maxInFlight    how many events may be running at once; the rest wait in the queue. Keeps a burst of events
 *                       from claiming the whole machine (or account concurrency) at once.
 * @param clock          the time events are aged and scheduled by
 */
public record AsyncSettings(Duration retryBaseDelay, int maxInFlight, Clock clock) {
    public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;

    public AsyncSettings {
        if (retryBaseDelay.isNegative()) {
            throw new IllegalArgumentException("retryBaseDelay must not be negative: " + retryBaseDelay);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
    }
}
