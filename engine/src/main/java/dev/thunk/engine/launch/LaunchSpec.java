package dev.thunk.engine.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything needed to start one execution environment's process: its id, its command, its complete environment
 * (nothing is inherited from the server), its code (the working directory) and layers, the size of its private
 * {@code /tmp}, the log file its stdout and stderr append to, the memory cgroup it joins, if memory is limited, and
 * whether its standard input is a pipe the server writes to ({@code bindingPipe}: a stem cell, which waits there
 * for the function it is bound to) rather than {@code /dev/null}.
 */
public record LaunchSpec(String environmentId, List<String> command, Map<String, String> environment, Path taskRoot,
                         Path optRoot, int tmpMegabytes, Path logFile, Optional<MemoryLimits.Cgroup> cgroup,
                         boolean bindingPipe) {
    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** An environment started for its function, its standard input {@code /dev/null}. */
    public LaunchSpec(String environmentId, List<String> command, Map<String, String> environment, Path taskRoot,
                      Path optRoot, int tmpMegabytes, Path logFile, Optional<MemoryLimits.Cgroup> cgroup) {
        this(environmentId, command, environment, taskRoot, optRoot, tmpMegabytes, logFile, cgroup, false);
    }
}
