package dev.thunk.engine.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one execution environment's process: its id, its command, its complete environment
 * (nothing is inherited from the server), its code (the working directory) and layers, the size of its private
 * {@code /tmp}, the log file its stdout and stderr append to, and the memory cgroup it joins, if memory is limited.
 */
public record LaunchSpec(String environmentId, List<String> command, Map<String, String> environment, Path taskRoot,
                         Path optRoot, int tmpMegabytes, Path logFile, Optional<MemoryLimits.Cgroup> cgroup) {
    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
