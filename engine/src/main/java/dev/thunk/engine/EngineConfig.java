package dev.thunk.engine;

import dev.thunk.core.Account;

import java.time.Duration;

/**
 * The engine's settings, fixed at start.
 *
 * @param concurrencyLimit the most invocations in flight at once across all functions (AWS's account limit)
 * @param keepAlive        how long an idle environment is kept warm before it is ended (zero: never reused)
 * @param maxLifetime      how long any environment may live before it is replaced
 * @param stemCells        where stem cells keep their files (a directory the engine empties at start, on the file
 *                         system of the logs); empty: no stem cells, every cold start starts a process
 */
public record EngineConfig(Account account, int concurrencyLimit, Duration keepAlive, Duration maxLifetime,
                           java.util.Optional<java.nio.file.Path> stemCells) {
    /** Without stem cells. */
    public EngineConfig(Account account, int concurrencyLimit, Duration keepAlive, Duration maxLifetime) {
        this(account, concurrencyLimit, keepAlive, maxLifetime, java.util.Optional.empty());
    }

    /** How long an unbound stem cell waits for a function: the keep-alive, or 5 minutes when that is zero. */
    public Duration stemCellIdle() {
        return keepAlive.isZero() ? Duration.ofMinutes(5) : keepAlive;
    }

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
