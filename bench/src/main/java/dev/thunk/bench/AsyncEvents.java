package dev.thunk.bench;

import dev.thunk.core.async.AsyncInvoker;

import java.time.Duration;
import java.util.Map;

/**
 * Asynchronous events of a no-op function: how many Event invocations per second the server acknowledges (each
 * 202 only after its event is committed to SQLite) with {@code clients} keep-alive clients, while the dispatcher
 * runs them; then how fast the backlog left when the clients stop drains. The baseline, measured in the same run
 * on the same function and clients, is synchronous invoke throughput.
 */
final class AsyncEvents {
    record Result(Throughput.Result sync, Throughput.Result acks, long backlog, double drainSeconds,
                  long received, long succeeded, long otherOutcomes, boolean drained) {
        /** Events finished per second once the clients had stopped. */
        double drainPerSecond() {
            return drainSeconds > 0 ? backlog / drainSeconds : Double.NaN;
        }
    }

    private AsyncEvents() {
    }

    static Result measure(int port, String path, int clients, Duration warmup, Duration window, AsyncInvoker async,
                          long deadline) {
        Throughput.Result sync = Throughput.run("sync", port, Throughput.Call.sync(path), clients, warmup, window,
                () -> 0);
        Throughput.Result acks = Throughput.run("event", port, Throughput.Call.event(path), clients, warmup, window,
                () -> 0);
        Map<String, Object> atStop = async.stats();
        long backlog = number(atStop, "received") - finished(atStop);
        long stopped = System.nanoTime();
        long limit = Math.min(deadline, stopped + Duration.ofSeconds(120).toNanos());
        Map<String, Object> now = atStop;
        while (finished(now) < number(now, "received") && System.nanoTime() < limit) {
            Processes.pause(20);
            now = async.stats();
        }
        boolean drained = finished(now) >= number(now, "received");
        double drainSeconds = (System.nanoTime() - stopped) / 1e9;
        return new Result(sync, acks, backlog, drainSeconds, number(now, "received"), number(now, "succeeded"),
                finished(now) - number(now, "succeeded"), drained);
    }

    /** Events whose story is over: succeeded, failed for good, expired or dropped. */
    private static long finished(Map<String, Object> stats) {
        return number(stats, "succeeded") + number(stats, "failed") + number(stats, "expired")
                + number(stats, "dropped");
    }

    private static long number(Map<String, Object> stats, String key) {
        return ((Number) stats.get(key)).longValue();
    }
}
