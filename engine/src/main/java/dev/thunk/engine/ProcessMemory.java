package dev.thunk.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Measures the peak resident memory of an environment: the high-water mark ({@code VmHWM}) of its process plus
 * that of every other process in it, read from {@code /proc}. The main process is read for every invocation that
 * lasted 10 ms or more, else at most every 100 ms; the others' share is refreshed at most every second. Readings
 * are remembered between. The other processes are the members of the environment's cgroup where it has one (one
 * file, and processes whose parent ended are still found); else the main process's descendants, found by reading
 * one {@code children} file per thread of every process. One instance per environment; not thread-safe (callers
 * hold the pool lock).
 */
final class ProcessMemory {
    static final long CHILDREN_REFRESH_NANOS = 1_000_000_000L;
    /** A short invocation reuses a reading this recent: thousands of no-ops a second need not each read /proc. */
    static final long MAIN_REFRESH_NANOS = 100_000_000L;
    /** An invocation at least this long always reads afresh: it had time to grow. */
    static final long LONG_INVOCATION_NANOS = 10_000_000L;

    private final long pid;
    /** The environment's cgroup's {@code cgroup.procs}, if it has a cgroup. */
    private final Optional<Path> members;
    private long childrenKb;
    private long childrenReadAt = Long.MIN_VALUE;
    private long mainKb;
    private long mainReadAt = Long.MIN_VALUE;

    ProcessMemory(long pid, Optional<Path> members) {
        this.pid = pid;
        this.members = members;
    }

    /**
     * Peak resident set in MB of the process tree; 0 once it is gone. The kernel keeps the high-water mark, so a
     * reading is never too high; it may lag by a sub-10 ms invocation's growth when the last one is under 100 ms old.
     */
    long peakMegabytes(long invocationNanos) {
        long now = System.nanoTime();
        if (mainReadAt == Long.MIN_VALUE || invocationNanos >= LONG_INVOCATION_NANOS
                || now - mainReadAt > MAIN_REFRESH_NANOS) {
            mainKb = Math.max(mainKb, vmHwm(pid));
            mainReadAt = now;
        }
        if (childrenReadAt == Long.MIN_VALUE || now - childrenReadAt > CHILDREN_REFRESH_NANOS) {
            // Peaks only grow, so the larger of the remembered and the fresh sum stays right for exited children.
            childrenKb = Math.max(childrenKb, othersKilobytes());
            childrenReadAt = now;
        }
        return (mainKb + childrenKb + 1023) / 1024;
    }

    private long othersKilobytes() {
        if (members.isPresent()) {
            try {
                long total = 0;
                for (String member : Files.readAllLines(members.get())) {
                    long memberPid = Long.parseLong(member.trim());
                    if (memberPid != pid) {
                        total += vmHwm(memberPid);
                    }
                }
                return total;
            } catch (IOException | NumberFormatException e) {
                // The cgroup is gone with the environment's end: look for descendants instead.
            }
        }
        return childrenKilobytes(pid, 0);
    }

    private static long childrenKilobytes(long pid, int depth) {
        if (depth > 32) {
            return 0;
        }
        long total = 0;
        try (var threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : threads) {
                String children = Files.readString(task.resolve("children")).trim();
                if (!children.isEmpty()) {
                    for (String child : children.split("\\s+")) {
                        long childPid = Long.parseLong(child);
                        total += vmHwm(childPid) + childrenKilobytes(childPid, depth + 1);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process ended while we looked: what was read so far is what there is.
        }
        return total;
    }

    private static long vmHwm(long pid) {
        try {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            int at = status.indexOf("VmHWM:");
            if (at < 0) {
                return 0;
            }
            int end = status.indexOf('\n', at);
            return Long.parseLong(status.substring(at + 6, end < 0 ? status.length() : end).replace("kB", "").trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
