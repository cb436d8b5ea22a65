package dev.thunk.engine;

import dev.thunk.core.Alias;
import dev.thunk.core.FunctionStore;
import dev.thunk.core.FunctionVersion;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Functions, published versions and aliases as the invoke path sees them, read from the store once and kept until
 * the control plane says they changed. Keys are {@code name}, {@code name:version} and {@code name:alias} (names
 * cannot contain ':'). A read that raced with an invalidation drops what it read, so nothing stale is kept.
 */
final class FunctionCache {
    private final FunctionStore store;
    private final ConcurrentHashMap<String, FunctionVersion> functions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Alias> aliases = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    FunctionCache(FunctionStore store) {
        this.store = store;
    }

    /** The function's {@code $LATEST} if it is cached; never touches the store. */
    Optional<FunctionVersion> cached(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** The function's {@code $LATEST}, read from the store if it is not cached (blocking). */
    Optional<FunctionVersion> get(String name) {
        return load(functions, name, () -> store.find(name));
    }

    Optional<FunctionVersion> cachedVersion(String name, int version) {
        return Optional.ofNullable(functions.get(name + ":" + version));
    }

    /** A published version (blocking on a miss). */
    Optional<FunctionVersion> version(String name, int version) {
        return load(functions, name + ":" + version, () -> store.findVersion(name, version));
    }

    Optional<Alias> cachedAlias(String name, String alias) {
        return Optional.ofNullable(aliases.get(name + ":" + alias));
    }

    /** An alias (blocking on a miss). */
    Optional<Alias> alias(String name, String alias) {
        return load(aliases, name + ":" + alias, () -> store.findAlias(name, alias));
    }

    /** Forgets the function, its versions and its aliases. */
    void invalidate(String name) {
        generation.incrementAndGet();
        functions.keySet().removeIf(key -> key.equals(name) || key.startsWith(name + ":"));
        aliases.keySet().removeIf(key -> key.startsWith(name + ":"));
    }

    private <T> Optional<T> load(ConcurrentHashMap<String, T> cache, String key, Supplier<Optional<T>> read) {
        T cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = generation.get();
        Optional<T> loaded = read.get();
        loaded.ifPresent(value -> {
            cache.put(key, value);
            if (generation.get() != before) {
                cache.remove(key, value);
            }
        });
        return loaded;
    }
}
