package dev.thunk.engine.async;

import dev.thunk.core.async.EventInvokeConfig;
import dev.thunk.core.async.EventInvokeConfigStore;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event invoke configurations the dispatcher applies, read from the store at most once a second per function
 * and qualifier: a busy queue would otherwise read the same row for every event. A changed configuration applies
 * to events that start after the next read, like AWS's own settings, which also take a moment to apply.
 */
public final class EventInvokeConfigs {
    private final EventInvokeConfigStore store;
    private final Clock clock;
    private final long maxAgeMillis;
    private final ConcurrentHashMap<Key, Cached> cache = new ConcurrentHashMap<>();

    public EventInvokeConfigs(EventInvokeConfigStore store, Clock clock, long maxAgeMillis) {
        this.store = store;
        this.clock = clock;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** The configuration of the function and qualifier, or the defaults when it has none. */
    EventInvokeConfig get(String functionName, String qualifier) {
        Key key = new Key(functionName, qualifier);
        long now = clock.millis();
        Cached cached = cache.get(key);
        if (cached != null && now - cached.readAt < maxAgeMillis && now >= cached.readAt) {
            return cached.config;
        }
        EventInvokeConfig config = store.findEventInvokeConfig(functionName, qualifier)
                .orElseGet(() -> EventInvokeConfig.defaults(functionName, qualifier));
        cache.put(key, new Cached(config, now));
        return config;
    }

    private record Key(String functionName, String qualifier) {
    }

    private record Cached(EventInvokeConfig config, long readAt) {
    }
}
