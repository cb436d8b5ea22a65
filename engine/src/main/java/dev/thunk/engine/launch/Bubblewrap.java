package dev.thunk.engine.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each environment in a bubblewrap sandbox:
 * <ul>
 *   <li>its own PID, IPC and UTS namespaces, a new session, all capabilities dropped, and death with the server;</li>
 *   <li>the machine's file system read-only, with Thunk's data directory replaced by an empty one, so no function
 *       sees the database or another function's code;</li>
 *   <li>its own code read-only at its task root (the path {@code LAMBDA_TASK_ROOT} names), its layers read-only at
 *       their path and at {@code /opt}, the runtime clients read-only;</li>
 *   <li>a private {@code /tmp} of {@code EphemeralStorage} megabytes;</li>
 *   <li>a user of its own (uid 993) when Thunk runs as root.</li>
 * </ul>
 * The network stays shared: the environment reaches its Runtime API on loopback, which a network namespace would cut.
 */
final class Bubblewrap implements Sandbox {
    /** The uid and gid environments run as when Thunk runs as root (any unprivileged id works). */
    static final String SANDBOX_ID = "993";

    private final String bwrap;
    private final Path dataDir;
    private final Path runtimesDir;
    private final boolean asRoot;

    Bubblewrap(String bwrap, Path dataDir, Path runtimesDir, boolean asRoot) {
        this.bwrap = bwrap;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.runtimesDir = runtimesDir.toAbsolutePath().normalize();
        this.asRoot = asRoot;
    }

    @Override
    public List<String> wrap(LaunchSpec spec) {
        String taskRoot = spec.taskRoot().toAbsolutePath().normalize().toString();
        String optRoot = spec.optRoot().toAbsolutePath().normalize().toString();
        List<String> wrapped = new ArrayList<>(List.of(bwrap,
                "--ro-bind", "/", "/",
                "--dev", "/dev",
                "--proc", "/proc",
                "--size", Long.toString(spec.tmpMegabytes() * 1024L * 1024L), "--tmpfs", "/tmp",
                // Mounted after /tmp: a data directory under /tmp is hidden all the same.
                "--tmpfs", dataDir.toString(),
                "--ro-bind", runtimesDir.toString(), runtimesDir.toString(),
                "--ro-bind", taskRoot, taskRoot,
                "--ro-bind", optRoot, optRoot,
                "--ro-bind", optRoot, "/opt",
                "--chdir", taskRoot,
                "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                "--new-session",
                "--die-with-parent"));
        if (asRoot) {
            wrapped.addAll(List.of("--unshare-user", "--uid", SANDBOX_ID, "--gid", SANDBOX_ID));
        }
        wrapped.addAll(List.of("--cap-drop", "ALL", "--"));
        wrapped.addAll(spec.command());
        return wrapped;
    }

    @Override
    public String describe() {
        return "bubblewrap (" + bwrap + "): own PID, IPC and UTS namespaces, read-only file system without the data "
                + "directory, private /tmp of EphemeralStorage size, no capabilities"
                + (asRoot ? ", uid " + SANDBOX_ID : "") + "; environments die with the server";
    }
}
