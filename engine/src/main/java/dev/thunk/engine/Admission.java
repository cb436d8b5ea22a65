package dev.thunk.engine;

import dev.thunk.core.LambdaException;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits invocations against AWS's concurrency rules, at once and without queueing: a function with reserved
 * concurrency runs at most that many at a time (0 disables it); the others share what the account has left after
 * every reservation and every provisioned concurrency of functions without a reservation. Provisioned concurrency
 * belongs to versions, as in AWS: an invocation of a provisioned version (directly or through its alias) runs on that
 * version's provisioned share first, then spills over to the shared pool; other versions of the function, $LATEST
 * among them, only ever use the shared pool. An invocation over its limit is throttled with AWS's reason.
 * Thread-safe; admitting is lock-free. Known limit: when a version's provisioned concurrency shrinks (or an alias
 * moves) while invocations run on its share, the shared pool grows at once while those invocations still count on
 * the old share, so the account can be over its limit by that many until they end.
 */
final class Admission {
    static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
    static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";

    private final int accountLimit;
    private final ConcurrentHashMap<String, Integer> reserved = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> reservedInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger unreservedInFlight = new AtomicInteger();
    /** Per function, its provisioned environments per version. */
    private final ConcurrentHashMap<String, Map<String, Integer>> provisioned = new ConcurrentHashMap<>();
    /** Keyed by {@code function:version}. */
    private final ConcurrentHashMap<String, AtomicInteger> provisionedInFlight = new ConcurrentHashMap<>();
    /** Reservations plus the provisioned totals of functions without one: what the shared pool does not have. */
    private volatile int totalSetAside;

    Admission(int accountLimit, Map<String, Integer> reservations) {
        this.accountLimit = accountLimit;
        reserved.putAll(reservations);
        recount();
    }

    /**
     * Admits one invocation of the function's {@code version} (the one an alias routed to), or throws a throttle;
     * the returned ticket must be released once.
     */
    Runnable admit(String function, String version) {
        Integer limit = reserved.get(function);
        if (limit != null) {
            AtomicInteger count = reservedInFlight.computeIfAbsent(function, f -> new AtomicInteger());
            return take(count, limit, RESERVED_LIMIT);
        }
        Map<String, Integer> versions = provisioned.get(function);
        Integer own = versions == null ? null : versions.get(version);
        if (own != null) {
            AtomicInteger count = provisionedInFlight.computeIfAbsent(function + ":" + version,
                    key -> new AtomicInteger());
            if (count.incrementAndGet() <= own) {
                return count::decrementAndGet;
            }
            count.decrementAndGet();
        }
        return take(unreservedInFlight, accountLimit - totalSetAside, ACCOUNT_LIMIT);
    }

    private static Runnable take(AtomicInteger count, int limit, String reason) {
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            throw LambdaException.throttled(reason);
        }
        return count::decrementAndGet;
    }

    void reservationChanged(String function, OptionalInt reservation) {
        if (reservation.isPresent()) {
            reserved.put(function, reservation.getAsInt());
        } else {
            reserved.remove(function);
        }
        recount();
    }

    /**
     * The function's provisioned concurrency now, per version, over all its configurations (an alias's is counted
     * on the versions it routes to); empty: none.
     */
    void provisionedChanged(String function, Map<String, Integer> perVersion) {
        Map<String, Integer> positive = new HashMap<>(perVersion);
        positive.values().removeIf(count -> count <= 0);
        if (positive.isEmpty()) {
            provisioned.remove(function);
        } else {
            provisioned.put(function, Map.copyOf(positive));
        }
        recount();
    }

    private synchronized void recount() {
        int total = reserved.values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Map<String, Integer>> entry : provisioned.entrySet()) {
            if (!reserved.containsKey(entry.getKey())) {
                total += entry.getValue().values().stream().mapToInt(Integer::intValue).sum();
            }
        }
        totalSetAside = total;
    }
}
