package dev.thunk.engine.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Wraps an environment's command so that the process sees only what it may and cannot outlive the server. With
 * bubblewrap, the environment gets its own namespaces and a read-only view of the machine without Thunk's data
 * directory, and dies with its parent. Without it, the runtime process itself gets a parent-death signal (its own
 * children may survive a killed server), and the server says so at start.
 */
public interface Sandbox {
    List<String> wrap(LaunchSpec spec);

    /** One line for the start-up report. */
    String describe();

    /**
     * Bubblewrap when it is installed ({@code THUNK_BWRAP} names its executable, else {@code bwrap} on the
     * {@code PATH}), else the parent-death signal.
     *
     * @param dataDir     Thunk's data directory, hidden from environments
     * @param runtimesDir the runtime clients' directory inside it, which environments read
     */
    static Sandbox detect(Path dataDir, Path runtimesDir) {
        return detect(dataDir, runtimesDir, true);
    }

    /** {@link #detect(Path, Path)}, or the parent-death signal alone when {@code bubblewrap} is false. */
    static Sandbox detect(Path dataDir, Path runtimesDir, boolean bubblewrap) {
        if (!bubblewrap) {
            return new ParentDeathSignal(Executables.onPath("setpriv"));
        }
        Optional<String> bwrap = Optional.ofNullable(System.getenv("THUNK_BWRAP")).filter(s -> !s.isEmpty())
                .or(() -> Executables.onPath("bwrap"));
        if (bwrap.isPresent()) {
            return new Bubblewrap(bwrap.get(), dataDir, runtimesDir, isRoot());
        }
        return new ParentDeathSignal(Executables.onPath("setpriv"));
    }

    /** Whether the server runs as root: its real uid, from {@code /proc/self/status}. */
    private static boolean isRoot() {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[1].equals("0"));
        } catch (java.io.IOException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
