package dev.thunk.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/**
 * The JIT compilers' work in this JVM, which runs the bench's clients and the Thunk server: the total time its
 * compiler threads have spent ({@link CompilationMXBean}), in milliseconds. A warm-up of a few thousand requests
 * leaves the C2 compiler busy with the HTTP stack's larger methods for many seconds more; measured then, every
 * row (the floor's too) shares the two cores with it.
 */
final class JitActivity {
    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private JitActivity() {
    }

    /** Warm-ups go on until a second of load costs the JIT less than this... */
    static final long QUIET_MILLIS_PER_SECOND = 50;
    /** ...for this many whole seconds in a row: a compilation counts only once it ends, so one quiet second can
     * hide a long one still running. */
    static final int QUIET_SECONDS = 2;
    /** The stretch of load each check covers. */
    static final long WINDOW_NANOS = 1_000_000_000L;

    /** Milliseconds of compilation so far, if the JVM counts them. */
    static OptionalLong totalMillis() {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported()
                ? OptionalLong.of(COMPILER.getTotalCompilationTime()) : OptionalLong.empty();
    }

    /**
     * Runs {@code window}, about a second of load each time, again and again until {@link #QUIET_SECONDS} whole
     * windows in a row each cost the JIT under {@link #QUIET_MILLIS_PER_SECOND} of compilation, or until no whole
     * window fits before {@code untilNanos}. Returns whether the JIT went quiet; at once true if the JVM does not
     * count compilation time (there is nothing to wait for then).
     */
    static boolean loadUntilQuiet(Runnable window, long untilNanos) {
        if (totalMillis().isEmpty()) {
            return true;
        }
        int quietInARow = 0;
        while (quietInARow < QUIET_SECONDS && System.nanoTime() + WINDOW_NANOS <= untilNanos) {
            long startNanos = System.nanoTime();
            long startMillis = totalMillis().getAsLong();
            window.run();
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            boolean quiet = totalMillis().getAsLong() - startMillis < QUIET_MILLIS_PER_SECOND * seconds;
            quietInARow = quiet ? quietInARow + 1 : 0;
        }
        return quietInARow >= QUIET_SECONDS;
    }
}
