package dev.thunk.engine;

import dev.thunk.core.FunctionVersion;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The engine's pools: one live pool per function version and revision, which new invocations go to, and the
 * retired ones, kept until their last environment is gone so that stopping the server still reaches environments
 * busy in them. A retired pool's key is remembered for a while: an invocation that resolved its function just
 * before the function changed or was deleted gets a pool that is retired from the start. The environment it
 * starts then ends after serving it, instead of idling until the keep-alive in a live pool nobody would retire.
 * Thread-safe.
 */
final class PoolRegistry {
    /** How long a retired pool's key is remembered: far longer than an invocation takes from resolving to here. */
    static final long RETIRED_KEY_NANOS = 60_000_000_000L;

    private record Key(String name, String version, String revisionId) {
        static Key of(FunctionVersion f) {
            return new Key(f.name(), f.version(), f.revisionId());
        }
    }

    private final Function<FunctionVersion, FunctionPool> newPool;
    private final ConcurrentHashMap<Key, FunctionPool> live = new ConcurrentHashMap<>();
    private final Set<FunctionPool> retiring = ConcurrentHashMap.newKeySet();
    /** Keys of retired pools, with when they were retired ({@link System#nanoTime()}). */
    private final ConcurrentHashMap<Key, Long> retiredKeys = new ConcurrentHashMap<>();

    PoolRegistry(Function<FunctionVersion, FunctionPool> newPool) {
        this.newPool = newPool;
    }

    /** The live pool of this function version, made if there is none; retired already if its key was. */
    FunctionPool poolOf(FunctionVersion f) {
        Key key = Key.of(f);
        FunctionPool pool = live.computeIfAbsent(key, k -> newPool.apply(f));
        if (retiredKeys.containsKey(key)) {
            retire(key, pool);
        }
        return pool;
    }

    /**
     * Retires the function's live pools: those of one {@code version} ({@code $LATEST} when its code or
     * configuration changed, a published one when it was deleted), or of every version (the function was deleted).
     * New invocations make new pools.
     */
    void retire(String functionName, Optional<String> version, long nowNanos) {
        live.forEach((key, pool) -> {
            if (key.name().equals(functionName) && version.map(key.version()::equals).orElse(true)) {
                // Remembered first: a pool made for this key from now on is retired at once.
                retiredKeys.put(key, nowNanos);
                retire(key, pool);
            }
        });
    }

    private void retire(Key key, FunctionPool pool) {
        if (live.remove(key, pool)) {
            retiring.add(pool);
            pool.retire();
        }
    }

    Collection<FunctionPool> live() {
        return live.values();
    }

    /** Live and retired pools. */
    Stream<FunctionPool> all() {
        return Stream.concat(live.values().stream(), retiring.stream());
    }

    /** Housekeeping: drops retired pools with nothing left in them, and retired keys older than the limit. */
    void forget(long nowNanos) {
        retiring.removeIf(FunctionPool::empty);
        retiredKeys.values().removeIf(retiredAt -> nowNanos - retiredAt > RETIRED_KEY_NANOS);
    }
}
