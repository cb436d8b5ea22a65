package dev.thunk.bench;

import dev.thunk.engine.launch.LaunchSpec;
import dev.thunk.engine.launch.Sandbox;
import dev.thunk.engine.launch.TaskLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reference floors for cold starts: the wall time of starting an interpreter or a JVM that does nothing, measured
 * from {@code ProcessBuilder.start()} to exit, output discarded, in the same minimal environment Thunk gives its
 * execution environments. A cold start cannot beat its runtime's floor.
 */
final class ProcessStarts {
    /** One command to time, with how it is shown in the report. */
    record Command(String label, List<String> argv) {
    }

    private ProcessStarts() {
    }

    /**
     * {@code java -version} on every distinct JDK in /usr/lib/jvm, the same with the flags Thunk starts function
     * JVMs with (on {@code thunkJava}, the JDK that runs java21), {@code python3 -c pass} (and with {@code -S}, as
     * Thunk runs it) and {@code node -e 0}.
     */
    static List<Command> commands(Path thunkJava, Path python, Path node) {
        List<Command> commands = new ArrayList<>();
        for (Path home : jdks()) {
            commands.add(new Command(home + "/bin/java -version", List.of(home + "/bin/java", "-version")));
        }
        commands.add(new Command(thunkJava + " <Thunk's JVM flags> -version", List.of(thunkJava.toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xss512k",
                "-Xmx108m", "-version")));
        commands.add(new Command(python + " -c pass", List.of(python.toString(), "-c", "pass")));
        commands.add(new Command(python + " -S -c pass", List.of(python.toString(), "-S", "-c", "pass")));
        commands.add(new Command(node + " -e 0", List.of(node.toString(), "-e", "0")));
        return commands;
    }

    /**
     * The cost of the sandbox per start: {@code /bin/true} bare, then wrapped exactly as Thunk wraps an environment
     * (open-files limit, bubblewrap with its mounts and namespaces), when bubblewrap is installed; else nothing.
     */
    static List<Command> sandboxed(Path dataDir) {
        Sandbox sandbox = Sandbox.detect(dataDir, dataDir.resolve("runtimes"));
        if (!sandbox.describe().startsWith("bubblewrap")) {
            return List.of();
        }
        try {
            Path task = Files.createDirectories(dataDir.resolve("sandbox-bench/task"));
            Path opt = Files.createDirectories(dataDir.resolve("sandbox-bench/opt"));
            Files.createDirectories(dataDir.resolve("runtimes"));
            LaunchSpec spec = new LaunchSpec("bench", List.of("/bin/true"), Map.of(), task, opt, 512,
                    dataDir.resolve("sandbox-bench/log"), Optional.empty());
            return List.of(new Command(SANDBOX_BASELINE, List.of("/bin/true")),
                    new Command(SANDBOXED, TaskLimits.applying(List.of(), sandbox.wrap(spec))));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String SANDBOX_BASELINE = "/bin/true";
    static final String SANDBOXED = "/bin/true in Thunk's sandbox (limits + bubblewrap)";

    /** Times {@code runs} starts of the command (one untimed start first), stopping early at the deadline. */
    static Samples time(Command command, int runs, long deadlineNanos) {
        Samples samples = new Samples();
        for (int i = -1; i < runs && System.nanoTime() < deadlineNanos; i++) {
            long elapsed = runOnce(command.argv());
            if (i >= 0) {
                samples.add(elapsed);
            }
        }
        return samples;
    }

    private static long runOnce(List<String> argv) {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // The environment Thunk gives its environments, not the caller's: a variable such as NODE_EXTRA_CA_CERTS
        // (node then reads a certificate bundle at start) would otherwise be measured as part of the floor.
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin/:/bin");
        builder.environment().put("LANG", "en_US.UTF-8");
        builder.environment().put("TZ", ":UTC");
        try {
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("did not exit within 10 s: " + String.join(" ", argv));
            }
            long elapsed = System.nanoTime() - start;
            if (process.exitValue() != 0) {
                throw new IllegalStateException("exit status " + process.exitValue() + ": " + String.join(" ", argv));
            }
            return elapsed;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Set<Path> jdks() {
        Set<Path> homes = new LinkedHashSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path entry : entries.sorted().toList()) {
                try {
                    Path real = entry.toRealPath();
                    if (Files.isExecutable(real.resolve("bin/java"))) {
                        homes.add(real);
                    }
                } catch (IOException e) {
                    // A dangling link.
                }
            }
        } catch (IOException e) {
            // No system JVM directory: only the JDK running the bench is measured.
        }
        if (homes.isEmpty()) {
            homes.add(Path.of(System.getProperty("java.home")));
        }
        return homes;
    }
}
