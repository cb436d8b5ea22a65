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

    /** Milliseconds of compilation so far, if the JVM counts them. */
    static OptionalLong totalMillis() {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported()
                ? OptionalLong.of(COMPILER.getTotalCompilationTime()) : OptionalLong.empty();
    }
}
