package dev.thunk.engine.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one execution environment's process: its command, its complete environment (nothing
 * is inherited from the server), its working directory, the log file its stdout and stderr append to, and the
 * memory cgroup it joins, if memory is limited.
 */
public record LaunchSpec(List<String> command, Map<String, String> environment, Path workDir, Path logFile,
                         Optional<MemoryLimits.Cgroup> cgroup) {
    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
