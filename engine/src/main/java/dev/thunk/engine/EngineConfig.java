package dev.thunk.engine;

import dev.thunk.core.Account;

import java.time.Duration;

/**
 * The engine's settings, fixed at start.
 *
 * @param concurrencyLimit the most invocations in flight at once across all functions (AWS's account limit)
 * @param keepAlive        how long an idle environment is kept warm before it is ended (zero: never reused)
 * @param maxLifetime      how long any environment may live before it is replaced
 */
public record EngineConfig(Account account, int concurrencyLimit, Duration keepAlive, Duration maxLifetime) {
    public EngineConfig {
        if (concurrencyLimit < 1) {
            throw new IllegalArgumentException("concurrencyLimit must be positive: " + concurrencyLimit);
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("maxLifetime must be positive: " + maxLifetime);
        }
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("keepAlive must not be negative: " + keepAlive);
        }
    }
}
