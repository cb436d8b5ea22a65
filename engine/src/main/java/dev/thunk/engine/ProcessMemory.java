package dev.thunk.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the peak resident memory of an environment: the high-water mark ({@code VmHWM}) of its process plus
 * that of every process below it, read from {@code /proc}. The main process is read at every call (one small
 * file); finding children means reading one file per thread of every process, so the children's share is
 * refreshed at most every {@link #CHILDREN_REFRESH_NANOS} and remembered between. One instance per environment;
 * not thread-safe (callers hold the pool lock).
 */
final class ProcessMemory {
    static final long CHILDREN_REFRESH_NANOS = 1_000_000_000L;

    private final long pid;
    private long childrenKb;
    private long childrenReadAt = Long.MIN_VALUE;

    ProcessMemory(long pid) {
        this.pid = pid;
    }

    /** Peak resident set in MB of the process tree; 0 once it is gone. */
    long peakMegabytes() {
        long now = System.nanoTime();
        if (childrenReadAt == Long.MIN_VALUE || now - childrenReadAt > CHILDREN_REFRESH_NANOS) {
            // Peaks only grow, so the larger of the remembered and the fresh sum stays right for exited children.
            childrenKb = Math.max(childrenKb, childrenKilobytes(pid, 0));
            childrenReadAt = now;
        }
        return (vmHwm(pid) + childrenKb + 1023) / 1024;
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
