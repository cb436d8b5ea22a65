package dev.thunk.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the peak resident memory of an environment: the high-water mark ({@code VmHWM}) of its process and of
 * every process below it, read from {@code /proc}. Children are found through {@code /proc/<pid>/task/<tid>/children},
 * which costs a few small reads instead of a scan of every process on the machine.
 */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set in MB of the process tree under {@code pid}; 0 if it is gone. */
    static long peakMegabytes(long pid) {
        return (peakKilobytes(pid, 0) + 1023) / 1024;
    }

    private static long peakKilobytes(long pid, int depth) {
        if (depth > 32) {
            return 0;
        }
        long total = vmHwm(pid);
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var threads = Files.newDirectoryStream(tasks)) {
            for (Path task : threads) {
                String children = Files.readString(task.resolve("children")).trim();
                if (!children.isEmpty()) {
                    for (String child : children.split("\\s+")) {
                        total += peakKilobytes(Long.parseLong(child), depth + 1);
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
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
