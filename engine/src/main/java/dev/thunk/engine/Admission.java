package dev.thunk.engine;

import dev.thunk.core.LambdaException;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits invocations against AWS's concurrency rules, at once and without queueing: a function with reserved
 * concurrency runs at most that many at a time (0 disables it); the others share what the account has left after
 * every reservation. An invocation over its limit is throttled with AWS's reason. Thread-safe and lock-free.
 */
final class Admission {
    static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
    static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";

    private final int accountLimit;
    private final ConcurrentHashMap<String, Integer> reserved = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> reservedInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger unreservedInFlight = new AtomicInteger();
    private volatile int totalReserved;

    Admission(int accountLimit, Map<String, Integer> reservations) {
        this.accountLimit = accountLimit;
        reserved.putAll(reservations);
        totalReserved = reserved.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Admits one invocation of the function, or throws a throttle; the returned ticket must be released once. */
    Runnable admit(String function) {
        Integer limit = reserved.get(function);
        if (limit != null) {
            AtomicInteger count = reservedInFlight.computeIfAbsent(function, f -> new AtomicInteger());
            return take(count, limit, RESERVED_LIMIT);
        }
        return take(unreservedInFlight, accountLimit - totalReserved, ACCOUNT_LIMIT);
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
        totalReserved = reserved.values().stream().mapToInt(Integer::intValue).sum();
    }
}
