package dev.thunk.engine.async;

import java.time.Duration;

/**
 * When an event runs again. Function errors (timeouts and crashes included) use up the retry budget and wait the
 * base delay times the attempt number (AWS: one minute, then two). Throttles and platform errors do not use up the
 * budget; they back off exponentially from one second to five minutes, until the event is too old.
 */
final class RetryPolicy {
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final long FIRST_BACKOFF_MILLIS = 1_000;

    private final Duration retryBaseDelay;

    RetryPolicy(Duration retryBaseDelay) {
        this.retryBaseDelay = retryBaseDelay;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry) after a function error. */
    long retryDelayMillis(int attempt) {
        return retryBaseDelay.toMillis() * attempt;
    }

    /** The wait after the {@code backoffs}-th throttle or platform error in a row (1 for the first). */
    static long backoffMillis(int backoffs) {
        int doublings = Math.min(Math.max(backoffs - 1, 0), 20);
        return Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF_MILLIS << doublings);
    }
}
