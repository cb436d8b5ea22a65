package dev.thunk.engine.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Enforces each environment's {@code MemorySize} with the cgroup memory controller, when one is writable: cgroup
 * v2 ({@code memory.max}) or v1 ({@code memory.limit_in_bytes}), found at start under the server's own cgroup.
 * Each environment gets a child cgroup named after it; the environment's first process joins it before it runs the
 * runtime, so everything it starts is limited too. Without a controller, environments run unlimited (peak memory
 * is still measured from {@code /proc}) and {@link #describe} says so. Thread-safe.
 */
public final class MemoryLimits implements AutoCloseable {
    enum Version { V1, V2, NONE }

    private final Version version;
    private final Optional<Path> root;

    private MemoryLimits(Version version, Optional<Path> root) {
        this.version = version;
        this.root = root;
    }

    /** Finds a writable memory controller and makes this server's own cgroup below the current one. */
    public static MemoryLimits detect() {
        long pid = ProcessHandle.current().pid();
        for (Version candidate : List.of(Version.V2, Version.V1)) {
            Optional<Path> own = ownCgroup(candidate, "memory");
            if (own.isEmpty()) {
                continue;
            }
            removeStale(own.get());
            Path root = own.get().resolve("thunk-" + pid);
            try {
                Files.createDirectories(root);
                if (candidate == Version.V2) {
                    Files.writeString(root.resolve("cgroup.subtree_control"), "+memory");
                }
                return new MemoryLimits(candidate, Optional.of(root));
            } catch (IOException | UnsupportedOperationException e) {
                // Not writable here: try the other version, then run without limits.
            }
        }
        return new MemoryLimits(Version.NONE, Optional.empty());
    }

    public static MemoryLimits none() {
        return new MemoryLimits(Version.NONE, Optional.empty());
    }

    /** One line for the start-up report. */
    public String describe() {
        return switch (version) {
            case V1 -> "memory limits: cgroup v1 memory controller (" + root.orElseThrow() + ")";
            case V2 -> "memory limits: cgroup v2 memory controller (" + root.orElseThrow() + ")";
            case NONE -> "memory limits: no writable cgroup memory controller; MemorySize is not enforced "
                    + "(peak memory is still measured)";
        };
    }

    /** A cgroup limited to {@code megabytes} for one environment; empty when there is no controller. */
    public Optional<Cgroup> create(String environmentId, int megabytes) {
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Path dir = root.get().resolve(environmentId);
        long bytes = megabytes * 1024L * 1024L;
        try {
            Files.createDirectories(dir);
            if (version == Version.V1) {
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            } else {
                Files.writeString(dir.resolve("memory.max"), Long.toString(bytes));
                Files.writeString(dir.resolve("memory.swap.max"), "0");
            }
            return Optional.of(new Cgroup(dir, version == Version.V1 ? "memory.oom_control" : "memory.events"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the memory cgroup " + dir, e);
        }
    }

    /** One environment's cgroup. */
    public record Cgroup(Path dir, String oomFile) {
        /** Where a process writes its pid to join. */
        public Path procs() {
            return dir.resolve("cgroup.procs");
        }

        /** Whether the kernel killed a process of this cgroup for exceeding its limit. */
        public boolean oomKilled() {
            try {
                for (String line : Files.readAllLines(dir.resolve(oomFile))) {
                    if (line.startsWith("oom_kill ")) {
                        return Long.parseLong(line.substring(9).trim()) > 0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return false;
            }
            return false;
        }

        /** Ends whatever is still in the cgroup, then removes it (see {@link #removeEnded}). */
        public void remove() {
            removeEnded(dir);
        }
    }

    @Override
    public void close() {
        root.ifPresent(MemoryLimits::removeTree);
    }

    /** Where this process's cgroup of {@code controller} is, if that controller is mounted (v1) or enabled (v2). */
    static Optional<Path> ownCgroup(Version version, String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (version == Version.V1 && parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                    Path mount = Path.of("/sys/fs/cgroup", controller);
                    return Files.isDirectory(mount) ? Optional.of(mount.resolve(parts[2].substring(1))) : Optional.empty();
                }
                if (version == Version.V2 && parts.length == 3 && parts[0].equals("0") && parts[1].isEmpty()) {
                    Path mount = Path.of("/sys/fs/cgroup");
                    String controllers = Files.exists(mount.resolve("cgroup.controllers"))
                            ? Files.readString(mount.resolve("cgroup.controllers")) : "";
                    return List.of(controllers.trim().split(" ")).contains(controller)
                            ? Optional.of(mount.resolve(parts[2].substring(1))) : Optional.empty();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Removes one environment's cgroup, first killing whatever is still in it. An environment's main process can
     * end and leave others behind that are no longer its descendants, so that killing its process tree misses them:
     * a sandbox whose outer process was killed just after it started leaves its inner one orphaned (a known race of
     * bubblewrap's {@code --die-with-parent}), and a function can start a daemon. The cgroup still holds them all.
     * Killed processes take a moment to leave it: removal is retried for up to a second, then left to the next
     * start's sweep.
     */
    static void removeEnded(Path dir) {
        for (int attempt = 0; attempt < 50; attempt++) {
            killMembers(dir);
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                // Still populated: the killed processes are on their way out.
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void killMembers(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    ProcessHandle.of(Long.parseLong(line.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone already, or not a cgroup: nothing to kill.
        }
    }

    /** Cgroups left by servers that were killed: what is still in them is ended, and they are removed. */
    static void removeStale(Path own) {
        try (Stream<Path> dirs = Files.list(own)) {
            dirs.filter(d -> d.getFileName().toString().matches("thunk-\\d+"))
                    .filter(d -> ProcessHandle.of(Long.parseLong(d.getFileName().toString().substring(6)))
                            .map(p -> !p.isAlive()).orElse(true))
                    .forEach(MemoryLimits::removeTree);
        } catch (IOException e) {
            // Nothing to collect.
        }
    }

    static void removeTree(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).forEach(MemoryLimits::removeEnded);
        } catch (IOException e) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Still has cgroups in use.
        }
    }
}
