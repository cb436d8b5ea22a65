package dev.thunk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bench's view of the execution environments it caused, from {@code /proc}: an environment is a child process
 * of the bench's JVM that runs a function (training JVMs and the like do not). Linux only; a process that ends while
 * it is read is skipped.
 */
final class Processes {
    /** One environment's process tree: its root, the function it runs, its command line, and memory in kB. */
    record EnvironmentTree(long pid, String function, String command, long rssKb, long pssKb, int processes) {
    }

    private Processes() {
    }

    /** Every live environment of {@code function} (its name), with the summed VmRSS and Pss of its process tree. */
    static List<EnvironmentTree> environments(String function) {
        List<EnvironmentTree> trees = new ArrayList<>();
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            Optional<String> name = functionOf(child.pid());
            if (name.isEmpty() || !name.get().equals(function)) {
                continue;
            }
            long rss = statusKb(child.pid(), "VmRSS:");
            long pss = pssKb(child.pid());
            int count = 1;
            for (ProcessHandle below : child.descendants().toList()) {
                rss += Math.max(0, statusKb(below.pid(), "VmRSS:"));
                pss += Math.max(0, pssKb(below.pid()));
                count++;
            }
            if (rss > 0) {
                trees.add(new EnvironmentTree(child.pid(), name.get(), commandLine(child.pid()), rss, pss, count));
            }
        }
        return trees;
    }

    /**
     * The function a child process runs: {@code AWS_LAMBDA_FUNCTION_NAME} in the environment it was started with;
     * for a stem cell, which was started before any function was known and got the function's environment when it
     * was bound, the function whose log its standard output now writes: binding moves the cell's output file to
     * {@code <data>/logs/<function>/<stream>.log}, and the open descriptor follows the file.
     */
    static Optional<String> functionOf(long pid) {
        if (variable(pid, "THUNK_STEM_CELL").isEmpty()) {
            return variable(pid, "AWS_LAMBDA_FUNCTION_NAME");
        }
        try {
            Path output = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "1"));
            Path directory = output.getParent();
            if (directory != null && directory.getParent() != null
                    && directory.getParent().getFileName().toString().equals("logs")) {
                return Optional.of(directory.getFileName().toString());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Gone, or not ours to read.
        }
        return Optional.empty(); // a cell not bound yet
    }

    /** Whether a Java class-data training run (a child JVM running {@code Train}) is in progress. */
    static boolean training() {
        return ProcessHandle.current().descendants()
                .anyMatch(p -> commandLine(p.pid()).contains("dev.thunk.runtime.java.Train"));
    }

    /**
     * Waits, at most until the deadline, until no Java class-data training has run for {@code quietMillis}: the
     * server trains one archive per JDK, one after the other, with a short gap between them.
     */
    static void awaitNoTraining(long deadlineNanos, long quietMillis) {
        long lastSeen = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            if (training()) {
                lastSeen = System.nanoTime();
            } else if (System.nanoTime() - lastSeen > quietMillis * 1_000_000L) {
                return;
            }
            pause(100);
        }
    }

    /** The {@code State:} line of {@code /proc/<pid>/status}, or "gone". */
    static String state(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("State:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // Gone.
        }
        return "gone";
    }

    /**
     * Whether the process is a stem cell not bound to any function yet: it was started with
     * {@code THUNK_STEM_CELL} and {@code LAMBDA_TASK_ROOT=<cells>/<id>/task}, and its output file
     * {@code <cells>/<id>/output.log} is still there (binding moves it into the function's log).
     */
    static boolean unboundStemCell(long pid) {
        if (variable(pid, "THUNK_STEM_CELL").isEmpty()) {
            return false;
        }
        return variable(pid, "LAMBDA_TASK_ROOT")
                .map(root -> Files.exists(Path.of(root).resolveSibling("output.log"))).orElse(false);
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> variable(long pid, String name) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            String prefix = name + "=";
            for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith(prefix)) {
                    return Optional.of(entry.substring(prefix.length()));
                }
            }
        } catch (IOException e) {
            // Gone, or not ours to read.
        }
        return Optional.empty();
    }

    /** A {@code kB} line of {@code /proc/<pid>/status}; -1 when the process is gone. */
    static long statusKb(long pid, String field) {
        return kbLine(Path.of("/proc", Long.toString(pid), "status"), field);
    }

    /** The proportional set size (shared pages divided among their sharers); -1 when unknown. */
    static long pssKb(long pid) {
        return kbLine(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    private static long kbLine(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone while reading.
        }
        return -1;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
