package dev.thunk.engine.launch;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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

    public ProcessLauncher(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public CompletableFuture<Process> start(LaunchSpec spec) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> command = spec.cgroup().map(c -> MemoryLimits.joining(c, spec.command()))
                    .orElse(spec.command());
            ProcessBuilder builder = new ProcessBuilder(sandbox.wrap(command))
                    .directory(spec.workDir().toFile())
                    .redirectInput(DEV_NULL)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            builder.environment().clear();
            builder.environment().putAll(spec.environment());
            try {
                return builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
            }
        }, forker);
    }

    @Override
    public void close() {
        forker.shutdownNow();
    }
}
