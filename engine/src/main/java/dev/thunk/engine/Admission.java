package dev.thunk.engine;

import dev.thunk.core.LambdaException;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits invocations against AWS's concurrency rules, at once and without queueing: a function with reserved
 * concurrency runs at most that many at a time (0 disables it); the others share what the account has left after
 * every reservation and every provisioned concurrency of functions without a reservation. Such a function runs up
 * to its provisioned total on its own share first, then on the shared pool. (AWS counts provisioned concurrency per
 * version or alias; Thunk counts it per function.) An invocation over its limit is throttled with AWS's reason.
 * Thread-safe; admitting is lock-free.
 */
final class Admission {
    static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
    static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";

    private final int accountLimit;
    private final ConcurrentHashMap<String, Integer> reserved = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> reservedInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger unreservedInFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> provisioned = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> provisionedInFlight = new ConcurrentHashMap<>();
    /** Reservations plus the provisioned totals of functions without one: what the shared pool does not have. */
    private volatile int totalSetAside;

    Admission(int accountLimit, Map<String, Integer> reservations) {
        this.accountLimit = accountLimit;
        reserved.putAll(reservations);
        recount();
    }

    /** Admits one invocation of the function, or throws a throttle; the returned ticket must be released once. */
    Runnable admit(String function) {
        Integer limit = reserved.get(function);
        if (limit != null) {
            AtomicInteger count = reservedInFlight.computeIfAbsent(function, f -> new AtomicInteger());
            return take(count, limit, RESERVED_LIMIT);
        }
        Integer own = provisioned.get(function);
        if (own != null) {
            AtomicInteger count = provisionedInFlight.computeIfAbsent(function, f -> new AtomicInteger());
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

    /** The function's provisioned concurrency, over all its configurations (0: none). */
    void provisionedChanged(String function, int total) {
        if (total > 0) {
            provisioned.put(function, total);
        } else {
            provisioned.remove(function);
        }
        recount();
    }

    private synchronized void recount() {
        int total = reserved.values().stream().mapToInt(Integer::intValue).sum();
        for (Map.Entry<String, Integer> entry : provisioned.entrySet()) {
            if (!reserved.containsKey(entry.getKey())) {
                total += entry.getValue();
            }
        }
        totalSetAside = total;
    }
}
