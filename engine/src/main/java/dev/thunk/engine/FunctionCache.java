package dev.thunk.engine;

import dev.thunk.core.Alias;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Functions as the invoke path sees them, read from the store once and kept until the control plane says they
 * changed. A read that raced with an invalidation drops what it read, so a stale function is never kept.
 */
final class FunctionCache {
    private final FunctionStore store;
    private final ConcurrentHashMap<String, FunctionVersion> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Alias> aliases = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    FunctionCache(FunctionStore store) {
        this.store = store;
    }

    /** The function if it is cached; never touches the store. */
    Optional<FunctionVersion> cached(String name) {
        return Optional.ofNullable(cache.get(name));
    }

    /** The function, read from the store if it is not cached (blocking). */
    Optional<FunctionVersion> get(String name) {
        FunctionVersion cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<FunctionVersion> loaded = store.find(name);
        loaded.ifPresent(f -> {
            cache.put(name, f);
            if (generation.get() != before) {
                cache.remove(name, f);
            }
        });
        return loaded;
    }

    /** A published version: immutable, so cached until the function changes or goes. */
    Optional<FunctionVersion> version(String name, int version) {
        String key = name + ":" + version;
        FunctionVersion cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<FunctionVersion> loaded = store.findVersion(name, version);
        loaded.ifPresent(v -> {
            cache.put(key, v);
            if (generation.get() != before) {
                cache.remove(key, v);
            }
        });
        return loaded;
    }

    Optional<FunctionVersion> cachedVersion(String name, int version) {
        return Optional.ofNullable(cache.get(name + ":" + version));
    }

    /** An alias, cached until the function's qualifiers change. */
    Optional<Alias> alias(String name, String alias) {
        String key = name + ":" + alias;
        Alias cached = aliases.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<Alias> loaded = store.findAlias(name, alias);
        loaded.ifPresent(a -> {
            aliases.put(key, a);
            if (generation.get() != before) {
                aliases.remove(key, a);
            }
        });
        return loaded;
    }

    Optional<Alias> cachedAlias(String name, String alias) {
        return Optional.ofNullable(aliases.get(name + ":" + alias));
    }

    /** Forgets the function, its versions and aliases (names cannot contain ':', so the prefix is exact). */
    void invalidate(String name) {
        generation.incrementAndGet();
        cache.keySet().removeIf(key -> key.equals(name) || key.startsWith(name + ":"));
        aliases.keySet().removeIf(key -> key.startsWith(name + ":"));
    }
}
