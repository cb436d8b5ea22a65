package dev.thunk.bench;

import java.util.Arrays;

/** Durations measured in nanoseconds, summarised in milliseconds with nearest-rank percentiles. Not thread-safe. */
final class Samples {
    private long[] nanos = new long[64];
    private int size;

    void add(long elapsedNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = elapsedNanos;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.nanos[i]);
        }
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile {@code p} (0 < p <= 100) in milliseconds; NaN when there are no samples. */
    double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double p50() {
        return percentileMs(50);
    }

    double p99() {
        return percentileMs(99);
    }

    double minMs() {
        return size == 0 ? Double.NaN : sorted()[0] / 1e6;
    }

    double maxMs() {
        return percentileMs(100);
    }

    private long[] sorted() {
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        return sorted;
    }
}
