package dev.thunk.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sequential round trips, each target on its own keep-alive connection, every answer checked. The warm-up goes
 * round the targets so the JIT state of client and server is shared by every row instead of favouring whichever
 * target comes last. Then two ways of measuring: back to back (each target's requests in one run, the usual
 * latency benchmark: the function's process never sleeps long) and interleaved (the targets take turns, so each
 * environment waits a few milliseconds between invocations, like a function that is warm but not busy).
 */
final class RoundTrips {
    static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    /** Where to POST {@code {}}, and on which connection. */
    record Target(String label, HttpConnection connection, String path) {
    }

    private RoundTrips() {
    }

    /**
     * How a warm-up went: its rounds, how long it took, whether the JVM counts compilation time at all, and whether
     * the JIT was quiet at its end.
     */
    record WarmUp(int rounds, double seconds, boolean jitMeasured, boolean jitQuiet) {
    }

    /**
     * At least {@code rounds} unrecorded requests per target, the targets taking turns; then more rounds until the
     * JIT is quiet ({@link JitActivity#loadUntilQuiet}), or until {@code maxNanos} have passed, or a quarter of the
     * time left to the deadline.
     */
    static WarmUp warmUp(List<Target> targets, int rounds, long maxNanos, long deadlineNanos) {
        long start = System.nanoTime();
        int done = 0;
        for (; done < rounds && System.nanoTime() < deadlineNanos; done++) {
            round(targets);
        }
        if (JitActivity.totalMillis().isEmpty()) {
            return new WarmUp(done, (System.nanoTime() - start) / 1e9, false, false);
        }
        long now = System.nanoTime();
        long stop = now + Math.min(maxNanos, Math.max(0, deadlineNanos - now) / 4);
        int[] more = {0};
        boolean quiet = JitActivity.loadUntilQuiet(() -> {
            long windowStart = System.nanoTime();
            while (System.nanoTime() - windowStart < JitActivity.WINDOW_NANOS) {
                round(targets);
                more[0]++;
            }
        }, stop);
        return new WarmUp(done + more[0], (System.nanoTime() - start) / 1e9, true, quiet);
    }

    private static void round(List<Target> targets) {
        for (Target target : targets) {
            once(target);
        }
    }

    /** {@code requests} round trips per target, one target after the other; fewer at the deadline. */
    static List<Samples> backToBack(List<Target> targets, int requests, long deadlineNanos) {
        List<Samples> samples = new ArrayList<>();
        for (Target target : targets) {
            Samples s = new Samples();
            for (int i = 0; i < requests && System.nanoTime() < deadlineNanos; i++) {
                s.add(once(target));
            }
            samples.add(s);
        }
        return samples;
    }

    /** {@code requests} round trips per target, the targets taking turns; fewer at the deadline. */
    static List<Samples> interleaved(List<Target> targets, int requests, long deadlineNanos) {
        List<Samples> samples = new ArrayList<>();
        targets.forEach(t -> samples.add(new Samples()));
        for (int round = 0; round < requests && System.nanoTime() < deadlineNanos; round++) {
            for (int t = 0; t < targets.size(); t++) {
                samples.get(t).add(once(targets.get(t)));
            }
        }
        return samples;
    }

    /** One checked round trip; returns its duration in nanoseconds. */
    private static long once(Target target) {
        long start = System.nanoTime();
        HttpConnection.Response response = target.connection().post(target.path(), EMPTY_OBJECT, "");
        long elapsed = System.nanoTime() - start;
        check(target.path(), response);
        return elapsed;
    }

    /** A round trip counts only if it answered 200 with {@code {}} and no function error. */
    static void check(String path, HttpConnection.Response response) {
        if (response.status() != 200 || response.header("X-Amz-Function-Error") != null
                || !response.bodyText().equals("{}")) {
            throw new IllegalStateException("POST " + path + " answered " + response.status() + " "
                    + response.headers() + " " + response.bodyText());
        }
    }
}
