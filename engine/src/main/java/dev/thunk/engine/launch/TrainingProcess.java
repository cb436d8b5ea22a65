package dev.thunk.engine.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a training command as a child process: at the lowest CPU priority when {@code nice} is there (training is
 * background work: it must not slow the server or the functions on a small machine), empty environment, output
 * kept in a temporary file of the work directory and handed back, a time limit after which the process and its
 * children (the JDK 25 AOT cache is assembled by a second JVM) are killed. An interrupt kills them too, waits
 * briefly for them to go, and is passed on.
 */
final class TrainingProcess implements JavaArchives.Trainer {
    /** The most of a training's output kept: its end, where the reason of a failure is. */
    private static final int KEPT_OUTPUT = 4000;

    private final Optional<String> nice;

    /** @param nice the {@code nice} program, if any */
    TrainingProcess(Optional<String> nice) {
        this.nice = nice;
    }

    /** With the {@code nice} of the server's PATH. */
    static TrainingProcess create() {
        return new TrainingProcess(Executables.onPath("nice"));
    }

    @Override
    public Run run(List<String> training, Path workDir, Duration limit) throws InterruptedException {
        List<String> command = new ArrayList<>();
        nice.ifPresent(n -> command.addAll(List.of(n, "-n", "19")));
        command.addAll(training);
        Path output;
        try {
            output = Files.createTempFile(workDir, "training-", ".log.tmp");
        } catch (IOException e) {
            return new Run(-1, "cannot create its log in " + workDir + ": " + e.getMessage());
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().clear();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Run(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
            }
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process);
                    return new Run(-1, "no exit within " + limit.toMillis() + " ms\n" + tail(output));
                }
            } catch (InterruptedException e) {
                kill(process);
                throw e;
            }
            return new Run(process.exitValue(), tail(output));
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A leftover: JavaArchives removes it at the next start.
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            // Waited for (the interrupt that led here is consumed): the caller deletes the files it was writing.
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Killed with SIGKILL: it goes; nothing more to do.
        }
    }

    private static String tail(Path output) {
        try {
            String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
            return text.length() <= KEPT_OUTPUT ? text : "..." + text.substring(text.length() - KEPT_OUTPUT);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
