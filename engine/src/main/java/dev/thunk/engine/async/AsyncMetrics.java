package dev.thunk.engine.async;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the asynchronous path since the server started. Counting is lock-free: the dispatcher bumps them
 * from many threads, and a reader gets a snapshot that may be a few events apart between counters.
 */
final class AsyncMetrics {
    final LongAdder received = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    /** Events whose last allowed attempt failed. */
    final LongAdder failed = new LongAdder();
    /** Function errors followed by another attempt. */
    final LongAdder retried = new LongAdder();
    /** Attempts put back without using the retry budget: throttles and platform errors. */
    final LongAdder backedOff = new LongAdder();
    /** Events older than their MaximumEventAgeInSeconds when their turn came. */
    final LongAdder expired = new LongAdder();
    /** Events given up with nowhere to go: no destination, no dead-letter queue, or the function is gone. */
    final LongAdder dropped = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder deliveryFailures = new LongAdder();
    private final LongAdder started = new LongAdder();
    private final LongAdder totalAgeMillis = new LongAdder();
    private final LongAccumulator maxAgeMillis = new LongAccumulator(Math::max, 0);

    /** An attempt starts; {@code ageMillis} is how long ago its event was accepted. */
    void attemptStarted(long ageMillis) {
        started.increment();
        totalAgeMillis.add(ageMillis);
        maxAgeMillis.accumulate(ageMillis);
    }

    Map<String, Object> snapshot(int queued, int inFlight) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", received.sum());
        out.put("succeeded", succeeded.sum());
        out.put("failed", failed.sum());
        out.put("retried", retried.sum());
        out.put("backedOff", backedOff.sum());
        out.put("expired", expired.sum());
        out.put("dropped", dropped.sum());
        out.put("delivered", delivered.sum());
        out.put("deliveryFailures", deliveryFailures.sum());
        out.put("queued", queued);
        out.put("inFlight", inFlight);
        long attempts = started.sum();
        Map<String, Object> age = new LinkedHashMap<>();
        age.put("attempts", attempts);
        age.put("meanMillis", attempts == 0 ? 0 : totalAgeMillis.sum() / attempts);
        age.put("maxMillis", maxAgeMillis.get());
        out.put("ageAtExecution", age);
        return out;
    }
}
