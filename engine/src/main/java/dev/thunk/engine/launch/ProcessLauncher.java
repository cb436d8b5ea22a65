package dev.thunk.engine.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts environment processes. Every process is forked from one long-lived platform thread: Linux delivers a
 * parent-death signal when the forking <em>thread</em> ends, so forking from a pooled or virtual thread's carrier
 * could kill an environment when that thread retires. Thread-safe.
 */
public final class ProcessLauncher implements AutoCloseable {
    private static final File DEV_NULL = new File("/dev/null");

    private final Sandbox sandbox;
    private final ExecutorService forker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "thunk-process-launcher");
        t.setDaemon(true);
        return t;
    });

    private final TaskLimits limits;

    public ProcessLauncher(Sandbox sandbox, TaskLimits limits) {
        this.sandbox = sandbox;
        this.limits = limits;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public CompletableFuture<Process> start(LaunchSpec spec) {
        return CompletableFuture.supplyAsync(() -> {
            Optional<Path> pids = limits.create(spec.environmentId());
            List<Path> join = new ArrayList<>();
            spec.cgroup().ifPresent(c -> join.add(c.procs()));
            pids.ifPresent(p -> join.add(p.resolve("cgroup.procs")));
            // Limits and cgroups are taken outside the sandbox, where /sys is writable; the sandbox inherits them.
            ProcessBuilder builder = new ProcessBuilder(TaskLimits.applying(join, sandbox.wrap(spec)))
                    .directory(spec.taskRoot().toFile())
                    .redirectInput(spec.bindingPipe() ? ProcessBuilder.Redirect.PIPE
                            : ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            builder.environment().clear();
            builder.environment().putAll(spec.environment());
            try {
                Process process = builder.start();
                pids.ifPresent(p -> process.onExit().thenRun(() -> limits.remove(p)));
                return process;
            } catch (IOException e) {
                pids.ifPresent(limits::remove);
                throw new UncheckedIOException("cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
            }
        }, forker);
    }

    @Override
    public void close() {
        forker.shutdownNow();
    }
}
