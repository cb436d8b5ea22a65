package dev.thunk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time (user + system, from {@code /proc}) of the bench's JVM, which is the server, and of its live child
 * process trees (the environments), plus what its reaped children used (a load generator that has exited). The
 * difference of two snapshots divided by the invocations between them is the CPU one invocation costs each part:
 * a steadier measure of the platform's work than throughput on a shared machine, whose speed varies.
 */
record CpuTimes(long selfTicks, long reapedTicks, Map<Long, Long> childTicks) {
    /** The kernel's USER_HZ on Linux (fixed at 100, whatever the tick rate). */
    private static final double MICROS_PER_TICK = 10_000;

    static CpuTimes now() {
        long[] self = ticks(Path.of("/proc/self/stat"));
        Map<Long, Long> children = new HashMap<>();
        ProcessHandle.current().descendants().forEach(p -> {
            long[] t = ticks(Path.of("/proc", Long.toString(p.pid()), "stat"));
            if (t[0] >= 0) {
                children.put(p.pid(), t[0]);
            }
        });
        return new CpuTimes(self[0], self[1], children);
    }

    /** What each part used since {@code before}, in µs per invocation. */
    Share since(CpuTimes before, long invocations) {
        long children = 0;
        for (Map.Entry<Long, Long> child : childTicks.entrySet()) {
            Long earlier = before.childTicks.get(child.getKey());
            if (earlier != null) { // present all along: an environment, not the load generator
                children += child.getValue() - earlier;
            }
        }
        double n = Math.max(1, invocations);
        return new Share((selfTicks - before.selfTicks) * MICROS_PER_TICK / n, children * MICROS_PER_TICK / n,
                (reapedTicks - before.reapedTicks) * MICROS_PER_TICK / n);
    }

    /** CPU µs per invocation: the server's JVM, the environments, and children reaped meanwhile (wrk). */
    record Share(double serverMicros, double environmentsMicros, double reapedMicros) {
    }

    /** {utime + stime, cutime + cstime} of a {@code stat} file; -1s if it is gone. */
    private static long[] ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            // The command name may hold spaces and parentheses: fields are counted after its last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime, stime, cutime, cstime are fields 14 to 17.
            return new long[]{Long.parseLong(f[11]) + Long.parseLong(f[12]),
                    Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (IOException | RuntimeException e) {
            return new long[]{-1, -1};
        }
    }
}
