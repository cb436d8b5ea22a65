package dev.thunk.engine;

import dev.thunk.core.Alias;
import dev.thunk.core.FunctionVersion;
import dev.thunk.core.ProvisionedConcurrencyConfig;
import dev.thunk.core.ProvisionedConcurrencyStore;
import dev.thunk.core.control.FunctionService;
import dev.thunk.core.control.ProvisionedState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Turns a function's provisioned concurrency configurations into targets of its version pools. A configuration of
 * a version asks that version's pool for its number of environments; a configuration of an alias asks the alias's
 * version, and when the alias sends a weighted share of invocations to a second version, that version gets the same
 * share of the environments (rounded) and the main version the rest, as AWS splits them. Reconciling is idempotent:
 * it re-reads the store and sets every target of the function again. Thread-safe: one reconciliation at a time.
 */
final class Provisioner {
    /** One pool's part of a configuration. */
    private record Share(FunctionPool pool, int count) {
    }

    private final ProvisionedConcurrencyStore store;
    private final FunctionCache functions;
    /** The engine's pool of a version, made if there is none yet. */
    private final Function<FunctionVersion, FunctionPool> poolOf;
    private final Admission admission;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@code function:qualifier} → where its environments are; guarded by lock for writes. */
    private final ConcurrentHashMap<String, List<Share>> shares = new ConcurrentHashMap<>();

    Provisioner(ProvisionedConcurrencyStore store, FunctionCache functions,
                Function<FunctionVersion, FunctionPool> poolOf, Admission admission) {
        this.store = store;
        this.functions = functions;
        this.poolOf = poolOf;
        this.admission = admission;
    }

    /** Every function with configurations (the server starts). Blocking. */
    void reconcileAll() {
        store.allProvisionedConcurrency().stream().map(ProvisionedConcurrencyConfig::functionName).distinct()
                .forEach(this::reconcile);
    }

    /** Sets the targets of the function's pools to what its configurations ask now. Blocking (reads the store). */
    void reconcile(String function) {
        lock.lock();
        try {
            List<ProvisionedConcurrencyConfig> configs = store.listProvisionedConcurrency(function);
            Map<String, List<Share>> wanted = new HashMap<>();
            for (ProvisionedConcurrencyConfig config : configs) {
                wanted.put(key(function, config.qualifier()), sharesOf(config));
            }
            // Pools that served a configuration before and do not now (or serve it with fewer) are told first.
            shares.forEach((key, before) -> {
                if (key.startsWith(function + ":")) {
                    String qualifier = key.substring(function.length() + 1);
                    List<Share> after = wanted.getOrDefault(key, List.of());
                    before.stream().filter(old -> after.stream().noneMatch(s -> s.pool == old.pool))
                            .forEach(old -> old.pool.provision(qualifier, 0));
                }
            });
            shares.keySet().removeIf(key -> key.startsWith(function + ":"));
            wanted.forEach((key, list) -> {
                String qualifier = key.substring(function.length() + 1);
                list.forEach(share -> share.pool.provision(qualifier, share.count));
                shares.put(key, list);
            });
            Map<String, Integer> perVersion = new HashMap<>();
            wanted.values().forEach(list -> list.forEach(share ->
                    perVersion.merge(share.pool.function.version(), share.count, Integer::sum)));
            admission.provisionedChanged(function, perVersion);
        } finally {
            lock.unlock();
        }
    }

    /** The configuration's progress over its pools: FAILED if any failed, READY when all are. */
    ProvisionedState state(String function, String qualifier) {
        List<Share> list = shares.getOrDefault(key(function, qualifier), List.of());
        if (list.isEmpty()) {
            return ProvisionedState.starting();
        }
        int allocated = 0;
        boolean ready = true;
        Optional<String> failure = Optional.empty();
        for (Share share : list) {
            ProvisionedState state = share.pool.provisionedState(qualifier);
            allocated += state.allocated();
            ready &= state.status() == ProvisionedState.Status.READY;
            if (state.status() == ProvisionedState.Status.FAILED) {
                failure = state.reason();
            }
        }
        ProvisionedState.Status status = failure.isPresent() ? ProvisionedState.Status.FAILED
                : ready ? ProvisionedState.Status.READY : ProvisionedState.Status.IN_PROGRESS;
        return new ProvisionedState(allocated, allocated, status, failure);
    }

    private List<Share> sharesOf(ProvisionedConcurrencyConfig config) {
        Map<String, Integer> counts = new HashMap<>();
        if (FunctionService.versionNumber(config.qualifier()).isPresent()) {
            counts.put(config.qualifier(), config.requested());
        } else {
            Optional<Alias> alias = functions.alias(config.functionName(), config.qualifier());
            if (alias.isEmpty()) {
                return List.of();
            }
            int main = config.requested();
            for (Map.Entry<String, Double> weighted : alias.get().additionalVersionWeights().entrySet()) {
                int extra = (int) Math.round(config.requested() * weighted.getValue());
                counts.put(weighted.getKey(), extra);
                main -= extra;
            }
            counts.put(alias.get().functionVersion(), main);
        }
        List<Share> list = new ArrayList<>();
        counts.forEach((version, count) -> {
            // An alias moved to $LATEST has nothing published to provision (AWS refuses such a configuration).
            Optional<FunctionVersion> published = FunctionService.versionNumber(version)
                    .flatMap(n -> functions.version(config.functionName(), n));
            if (count > 0 && published.isPresent()) {
                list.add(new Share(poolOf.apply(published.get()), count));
            }
        });
        return List.copyOf(list);
    }

    private static String key(String function, String qualifier) {
        return function + ":" + qualifier;
    }
}
