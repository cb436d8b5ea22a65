package dev.thunk.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds an environment's processes on the host by its log stream name (every process of an environment carries
 * {@code AWS_LAMBDA_LOG_STREAM_NAME} in the environment it started with; one bound from a stem cell started before
 * its function was known, with {@code THUNK_STEM_CELL=<environment id>}, the stream name's last part). A function's
 * own idea of its pid is no use for this: in a sandbox it lives in a PID namespace of its own.
 */
final class EnvironmentProcesses {
    private EnvironmentProcesses() {
    }

    /** The host's processes of the environment that writes {@code logStream}. */
    static List<ProcessHandle> of(String logStream) {
        String wanted = "AWS_LAMBDA_LOG_STREAM_NAME=" + logStream;
        String cell = "THUNK_STEM_CELL=" + logStream.substring(logStream.lastIndexOf(']') + 1);
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> variables = variables(p.pid());
            return variables.contains(wanted) || variables.contains(cell);
        }).toList();
    }

    /** The host's processes of the stem cells of the server on {@code dataDir}, bound or not. */
    static List<ProcessHandle> stemCells(Path dataDir) {
        String wanted = "LAMBDA_TASK_ROOT=" + dataDir.resolve("cells");
        return ProcessHandle.allProcesses()
                .filter(p -> variables(p.pid()).stream().anyMatch(v -> v.startsWith(wanted))).toList();
    }

    /**
     * The host's live processes whose command line names a path under {@code dataDir}: every sandboxed process of
     * the server there names its directories (the outer and the inner bubblewrap, and the runtime).
     */
    static List<ProcessHandle> under(Path dataDir) {
        String wanted = dataDir.toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                return new String(cmdline, StandardCharsets.UTF_8).contains(wanted);
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        }).toList();
    }

    static boolean alive(String logStream) {
        return of(logStream).stream().anyMatch(ProcessHandle::isAlive);
    }

    /** SIGKILLs every process of the environment, as a crash would. */
    static void kill(String logStream) {
        of(logStream).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * A process's environment as {@code NAME=value} strings, from {@code /proc} (readable for processes of the same
     * user); empty once the process is gone.
     */
    static List<String> variables(long pid) {
        try {
            return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
