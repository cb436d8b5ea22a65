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
        byte[] wanted = ("AWS_LAMBDA_LOG_STREAM_NAME=" + logStream + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] cell = ("THUNK_STEM_CELL=" + logStream.substring(logStream.lastIndexOf(']') + 1) + "\0")
                .getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.allProcesses()
                .filter(p -> environContains(p.pid(), wanted) || environContains(p.pid(), cell)).toList();
    }

    /** The host's processes of the stem cells of the server on {@code dataDir}, bound or not. */
    static List<ProcessHandle> stemCells(Path dataDir) {
        byte[] wanted = ("LAMBDA_TASK_ROOT=" + dataDir.resolve("cells")).getBytes(StandardCharsets.UTF_8);
        return ProcessHandle.allProcesses().filter(p -> environContains(p.pid(), wanted)).toList();
    }

    static boolean alive(String logStream) {
        return of(logStream).stream().anyMatch(ProcessHandle::isAlive);
    }

    /** SIGKILLs every process of the environment, as a crash would. */
    static void kill(String logStream) {
        of(logStream).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean environContains(long pid, byte[] wanted) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | SecurityException e) {
            return false;
        }
        outer:
        for (int i = 0; i + wanted.length <= environ.length; i++) {
            if (i > 0 && environ[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < wanted.length; j++) {
                if (environ[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
