package dev.thunk.core.async;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How asynchronous invocations of one function, version or alias are handled: how often a failing event is retried,
 * how old an event may grow before it is given up, and where its outcome is sent. Fields left out by the caller stay
 * empty (AWS echoes only what was set) and the defaults apply.
 *
 * @param qualifier {@code $LATEST}, a version number or an alias name
 */
public record EventInvokeConfig(String functionName, String qualifier, Optional<Integer> maximumRetryAttempts,
                                Optional<Integer> maximumEventAgeInSeconds, Optional<String> onSuccess,
                                Optional<String> onFailure, Instant lastModified) {
    public static final int DEFAULT_RETRY_ATTEMPTS = 2;
    public static final int DEFAULT_EVENT_AGE_SECONDS = 21_600;

    /** What applies to a function that has no configuration of its own. */
    public static EventInvokeConfig defaults(String functionName, String qualifier) {
        return new EventInvokeConfig(functionName, qualifier, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Instant.EPOCH);
    }

    public int retryAttempts() {
        return maximumRetryAttempts.orElse(DEFAULT_RETRY_ATTEMPTS);
    }

    public Duration maximumEventAge() {
        return Duration.ofSeconds(maximumEventAgeInSeconds.orElse(DEFAULT_EVENT_AGE_SECONDS));
    }
}
