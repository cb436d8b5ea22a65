package dev.thunk.engine.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Limits on one environment's processes and open files, so that a fork bomb or a descriptor leak stays inside it
 * (AWS allows 1,024 of each). Open files: {@code RLIMIT_NOFILE}, set by the shell that starts the environment and
 * inherited by everything in it. Processes and threads: the cgroup pids controller's {@code pids.max}, on a child
 * cgroup per environment, where the controller is writable (v1 {@code pids} hierarchy or v2 with {@code pids}
 * enabled); {@code RLIMIT_NPROC} would not do, as it counts every process of the user across environments.
 * Thread-safe.
 */
public final class TaskLimits implements AutoCloseable {
    public static final int MAX_OPEN_FILES = 1024;
    public static final int MAX_TASKS = 1024;

    private final Optional<Path> root;

    private TaskLimits(Optional<Path> root) {
        this.root = root;
    }

    /** Finds a writable pids controller and makes this server's own cgroup below the current one. */
    public static TaskLimits detect() {
        long pid = ProcessHandle.current().pid();
        for (MemoryLimits.Version version : List.of(MemoryLimits.Version.V2, MemoryLimits.Version.V1)) {
            Optional<Path> own = MemoryLimits.ownCgroup(version, "pids");
            if (own.isEmpty()) {
                continue;
            }
            MemoryLimits.removeStale(own.get());
            Path root = own.get().resolve("thunk-" + pid);
            try {
                Files.createDirectories(root);
                if (version == MemoryLimits.Version.V2) {
                    Files.writeString(root.resolve("cgroup.subtree_control"), "+pids");
                }
                return new TaskLimits(Optional.of(root));
            } catch (IOException | UnsupportedOperationException e) {
                // Not writable here: try the other version, then limit open files only.
            }
        }
        return new TaskLimits(Optional.empty());
    }

    public static TaskLimits filesOnly() {
        return new TaskLimits(Optional.empty());
    }

    /** One line for the start-up report. */
    public String describe() {
        return "process limits: " + MAX_OPEN_FILES + " open files per process; " + root
                .map(r -> MAX_TASKS + " processes and threads per environment (cgroup pids controller, " + r + ")")
                .orElse("no writable cgroup pids controller, so the number of processes is not limited");
    }

    /** The pids cgroup of one environment, limited to {@link #MAX_TASKS}; empty without a controller. */
    Optional<Path> create(String environmentId) {
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Path dir = root.get().resolve(environmentId);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("pids.max"), Integer.toString(MAX_TASKS));
            return Optional.of(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the pids cgroup " + dir, e);
        }
    }

    /** Ends whatever is left in an environment's cgroup, once its main process is gone, and removes the cgroup. */
    void remove(Path dir) {
        MemoryLimits.removeEnded(dir);
    }

    /**
     * The command that sets the open-files limit, joins the given cgroups ({@code cgroup.procs} files) and then
     * becomes {@code command}, all in the one process the server started.
     */
    public static List<String> applying(List<Path> joinProcs, List<String> command) {
        StringBuilder script = new StringBuilder("ulimit -n " + MAX_OPEN_FILES + " || exit 126");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", ""));
        wrapped.add("thunk-environment");
        for (int i = 0; i < joinProcs.size(); i++) {
            script.append(" && echo $$ > \"$").append(i + 1).append('"');
            wrapped.add(joinProcs.get(i).toString());
        }
        script.append(" && shift ").append(joinProcs.size()).append(" && exec \"$@\"");
        wrapped.set(2, script.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    @Override
    public void close() {
        root.ifPresent(MemoryLimits::removeTree);
    }
}
