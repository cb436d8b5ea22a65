package dev.thunk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The share of the machine's CPU time the hypervisor gave to someone else (the {@code steal} column of
 * {@code /proc/stat}) between two readings. On a shared virtual machine it explains much of the drift between runs:
 * a run measured while the host is busy is slower everywhere, the floor included.
 */
final class StealTime {
    private final long steal;
    private final long total;

    private StealTime(long steal, long total) {
        this.steal = steal;
        this.total = total;
    }

    /** A reading of the machine-wide counters; empty where /proc/stat is not there. */
    static Optional<StealTime> now() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            return parse(cpu);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** "cpu  user nice system idle iowait irq softirq steal ..." */
    static Optional<StealTime> parse(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (fields.length < 9 || !fields[0].equals("cpu")) {
            return Optional.empty();
        }
        long total = 0;
        for (int i = 1; i < Math.min(fields.length, 9); i++) {  // guest time is already in user
            total += Long.parseLong(fields[i]);
        }
        return Optional.of(new StealTime(Long.parseLong(fields[8]), total));
    }

    /** The stolen share of all CPU time since {@code earlier}, in percent. */
    double percentSince(StealTime earlier) {
        long elapsed = total - earlier.total;
        return elapsed <= 0 ? 0 : 100.0 * (steal - earlier.steal) / elapsed;
    }
}
